"""Views of the accounts app, by area. ``locked_out`` is named in settings (AXES_LOCKOUT_CALLABLE)."""

from socex.accounts.views.auth import locked_out

__all__ = ["locked_out"]
