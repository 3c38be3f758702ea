"""The edge: settings, app factory and lifespan, database and migrations, CLI."""

from __future__ import annotations

from gateway.app import create_app
from gateway.settings import Settings, SettingsError, load_settings

__all__ = ["Settings", "SettingsError", "create_app", "load_settings"]
