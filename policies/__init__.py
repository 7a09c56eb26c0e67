"""The built-in policy pack: YAML data only; this file makes it a resource package."""
