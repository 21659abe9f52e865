"""Type stubs for the arscore package."""

__version__: str

class Error(ValueError):
    """An arscore input error; ``code`` is its stable identifier, e.g. ``core.date.invalid``."""

    code: str
