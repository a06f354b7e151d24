"""Otagai test suite."""
