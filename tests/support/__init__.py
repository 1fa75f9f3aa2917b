"""Helpers the tests share: servers, strategies, generated corpora, PDF and browser tools, and
where the test data lives."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
"""The tests folder: its data (fixtures, golden, reference, bad_inputs, assets) lives here."""
REPO = TESTS.parent
