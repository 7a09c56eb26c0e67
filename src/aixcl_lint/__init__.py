"""aixcl-lint: policy-as-code governance linter."""

__version__ = "0.1.0"
