"""The browser fixtures live in socex/core/testing/browser.py (loaded by the root conftest)."""
