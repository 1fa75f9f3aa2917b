"""The render stage: a briefing as Markdown and HTML text (`text`), charts (`charts`) and a
PDF (`pdf`); the Jinja environment, filters and safe Markdown they share."""
