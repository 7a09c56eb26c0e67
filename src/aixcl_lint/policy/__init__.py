"""Policies: loading, validating and compiling YAML rules into checks."""
