"""Type stubs for the arscore package. Each area declares its names in its own block."""

__version__: str

class Error(ValueError):
    """An arscore input error; ``code`` is its stable identifier, e.g. ``core.date.invalid``."""

    code: str

# formula

# risk

# ledger

# rules
