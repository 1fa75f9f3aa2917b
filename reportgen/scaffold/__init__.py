"""Scaffolding: new record files and new projects, written from templates in `templates/`."""
