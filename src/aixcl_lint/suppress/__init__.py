"""Deciding which findings a run keeps: rule selection, severities, (in time) directives."""
