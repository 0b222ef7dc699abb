"""Fixtures for the areas tests: the shipped West Midlands reference data, loaded."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture
def reference_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped reference files, for a test to break."""
    target = tmp_path / "reference"
    shutil.copytree(settings.SOCEX_REFERENCE_DIR, target)
    return target


@pytest.fixture
def reference(db) -> None:
    """The shipped West Midlands reference data, as ``manage.py load_reference`` loads it."""
    call_command("load_reference", stdout=StringIO(), stderr=StringIO())
