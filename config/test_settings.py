"""Settings for the test suite: the normal settings in test mode, whatever the shell says."""

import os

os.environ["SOCEX_MODE"] = "test"

from config.settings import *  # noqa: F403
