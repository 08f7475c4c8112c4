"""Exceptions that framing raises for problems a user can fix.

Every message is one line meant for a person: the CLI prints it as it is.
"""

from __future__ import annotations


class FramingError(Exception):
    """Base class for every error framing reports to a user."""


class InputError(FramingError):
    """An article could not be read or classified (missing, empty, binary, too large).

    Parameters
    ----------
    message : str
        One line for a person.
    reason : str
        A short fixed reason ("empty", "binary", "too large", ...), for counting
        failures in a batch and for the ``error`` field of its rows.
    """

    def __init__(self, message: str, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.reason = reason


class ModelError(FramingError):
    """A model file could not be loaded or trusted."""


class CorpusError(FramingError):
    """A labeled CSV breaks the corpus format."""


class ModelVersionWarning(UserWarning):
    """The model was saved under another scikit-learn version than the one installed."""
