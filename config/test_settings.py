"""Settings for the test suite: the normal settings in test mode, whatever the shell says."""

import os

os.environ["SOCEX_MODE"] = "test"

from config.settings import *  # noqa: F403

# A stand-in for later apps' links to people (tests of merging and of the person page).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.linked_records"]  # noqa: F405

# The demo's synthetic street crime: enough rows to show every page, few enough to seed quickly.
SOCEX_DEMO_CRIME_ROWS = 6_000
