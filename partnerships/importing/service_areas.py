"""Service areas (directorates) a file names: those on Accord's list, and new ones it proposes.

A name matches an entry of the list whatever its case and spacing, or as an obvious
abbreviation when it can mean only one entry: capitals standing for words ("MH" for Mental
health, "CAMHS") or words cut short with a full stop ("Adult & comm. services"). A name on no
list is proposed as a new service area, once however many rows name it, for a user allowed to
add them from an import; anyone else is told to ask an administrator, as before.
"""

import re

from core.models import ServiceArea
from organisations.models import normalise_name
from partnerships.importing.plan import NewServiceArea
from partnerships.parsing import CellError, quote

_STOP_WORDS = {"and", "of", "the", "for", "in", "with"}
MAX_NAME = 200


def _words(text):
    words = re.findall(r"[\w']+\.?", text.replace("&", " and "))
    return [w for w in words if w.rstrip(".").casefold() not in _STOP_WORDS]


def abbreviates(short, full):
    """Is ``short`` an obvious abbreviation of ``full`` (and not the same words)?

    Each word of ``short`` is the next word of ``full``, a word cut short and ended with a full
    stop ("comm."), or capitals whose letters start the next words ("MH", "CAMHS").
    """
    short_words = _words(short)
    full_words = [w.rstrip(".").casefold() for w in _words(full)]
    if [w.rstrip(".").casefold() for w in short_words] == full_words:
        return False
    return _words_match(short_words, full_words)


def _words_match(short, full):
    if not short or not full:
        return not short and not full
    word, folded = short[0], short[0].rstrip(".").casefold()
    if folded == full[0]:
        return _words_match(short[1:], full[1:])
    if word.endswith(".") and len(folded) >= 2 and full[0].startswith(folded):
        return _words_match(short[1:], full[1:])
    letters = len(word)
    initials = "".join(w[0] for w in full[:letters])
    if word.isalpha() and word.isupper() and 2 <= letters <= len(full) and initials == folded:
        return _words_match(short[1:], full[letters:])
    return False


def _either_abbreviates(a, b):
    return abbreviates(a, b) or abbreviates(b, a)


def _names(items):
    return " or ".join(quote(str(item)) for item in items)


class ServiceAreaMatcher:
    """Resolves every service-area name of one file at once, so abbreviations can be weighed."""

    def __init__(self, existing, may_add):
        self.existing = existing  # {normalise_name(name): ServiceArea}, inactive ones included
        self.may_add = may_add
        self.resolved = {}  # name key -> ServiceArea | NewServiceArea | CellError
        self.new = {}  # name key -> NewServiceArea

    def prepare(self, texts):
        """Settle the names ``texts`` hold (the column's cells), before the rows are read."""
        spelled = {}
        for text in texts:
            spelled.setdefault(normalise_name(text), " ".join(text.split()))
        pending = [key for key in spelled if key not in self.resolved and not self._on_the_list(key, spelled[key])]
        aliases = self._aliases(pending, spelled)
        for key in pending:
            if key not in aliases and key not in self.resolved:
                self.resolved[key] = self._propose(key, spelled[key])
        for key, target in aliases.items():
            self.resolved[key] = self.resolved[target]

    def _on_the_list(self, key, text):
        if key in self.existing:
            self.resolved[key] = self.existing[key]
            return True
        matches = [area for area in self.existing.values() if _either_abbreviates(text, area.name)]
        if len(matches) == 1:
            self.resolved[key] = matches[0]
        elif matches:
            self.resolved[key] = CellError(
                f"{quote(text)} could be the service area {_names(sorted(matches, key=str))}. Write it in full."
            )
        return bool(matches)

    def _aliases(self, pending, spelled):
        """New names that abbreviate exactly one other new name of the file ("MH" and "Mental health")."""
        aliases = {}
        for key in pending:
            fuller = [other for other in pending if other != key and abbreviates(spelled[key], spelled[other])]
            if len(fuller) == 1:
                aliases[key] = fuller[0]
            elif fuller:
                self.resolved[key] = CellError(
                    f"{quote(spelled[key])} could be the service area {_names(spelled[k] for k in fuller)}. "
                    "Write it in full."
                )
        return {key: target for key, target in aliases.items() if target not in aliases}

    def _propose(self, key, name):
        if not self.may_add:
            return CellError(
                f"{quote(name)} is not a service area on Accord's list. Use a name from the list of service "
                "areas, or ask an administrator to add it."
            )
        if len(name) > MAX_NAME:
            return CellError(f"The service area's name is {len(name)} characters long. Shorten it to {MAX_NAME}.")
        self.new[key] = NewServiceArea(name=name, instance=ServiceArea(name=name))
        return self.new[key]

    def find(self, text):
        """The service area ``text`` names (a new one unsaved yet); :class:`CellError` when it cannot be used."""
        found = self.resolved.get(normalise_name(text))
        if found is None:  # a name ``prepare`` did not see: settle it on its own
            self.prepare([text])
            found = self.resolved[normalise_name(text)]
        if isinstance(found, CellError):
            raise found
        return found.instance if isinstance(found, NewServiceArea) else found
