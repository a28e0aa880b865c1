"""Reading one cell: the register value a cell of a given column means, or a :class:`CellError`.

Names are looked up in the :class:`~partnerships.importing.register.Register` (people, service
areas, reference lists, organisations); a partner that is not on the register yet becomes a
:class:`NewOrganisation`, and a service area not on the list a
:class:`~partnerships.importing.plan.NewServiceArea`, each proposed once however many rows name
it. A lead cell is kept as written (:class:`LeadCell`), linked to a user only when exactly one
active user has that name, e-mail address or username.
"""

import re
from dataclasses import dataclass

from organisations.models import normalise_name
from partnerships import parsing
from partnerships.importing.fields import DATE_FIELDS
from partnerships.importing.plan import NewOrganisation
from partnerships.importing.register import split_ods
from partnerships.importing.service_areas import ServiceAreaMatcher
from partnerships.models import REFERENCE_PATTERN
from partnerships.parsing import CellError, quote, text_of

CHOICE_PARSERS = {
    "arrangement_type": parsing.parse_arrangement_type,
    "trust_role": parsing.parse_trust_role,
    "status": parsing.parse_status,
    "data_sharing": parsing.parse_data_sharing,
}


MAX_TEXT = 200  # characters of the lead as recorded and of the value's note

NO_USER = "No user has this name, e-mail address or username."
SEVERAL_USERS = "More than one user has this name."
NOT_ACTIVE = "The user of this name no longer has an active account."


@dataclass
class Ambiguous:
    """A person cell naming several users; resolved once the row's partnership is known."""

    text: str
    user_ids: set


@dataclass(frozen=True)
class LeadCell:
    """A lead as the file writes it, and the user it names when exactly one active user matches.

    ``reason`` says why no user is linked (``NO_USER``, ``SEVERAL_USERS``, ``NOT_ACTIVE``);
    ``candidates`` are the active users of that name when there are several.
    """

    text: str
    user: object = None
    reason: str = ""
    candidates: frozenset = frozenset()


def _pieces(text, separators):
    """Split ``text`` on the separators, keeping each separator so pieces can be joined back."""
    parts = re.split(f"({separators})", text)
    return parts[0::2], parts[1::2]


def greedy_split(text, separators, is_known, window=6):
    """Split a list cell, but keep together pieces that only make sense as one known name.

    "Buckinghamshire, Oxfordshire and Berkshire West ICB" stays one item when that is a name
    Accord knows, even though it contains a comma.
    """
    parts, seps = _pieces(text, separators)
    items, i = [], 0
    while i < len(parts):
        for j in range(min(len(parts), i + window), i, -1):
            candidate = parts[i] + "".join(seps[k] + parts[k + 1] for k in range(i, j - 1))
            if j == i + 1 or is_known(candidate.strip()):
                if candidate.strip():
                    items.append(candidate.strip())
                i = j
                break
    return items


def parse_reference(value):
    text = text_of(value).upper()
    if text and not REFERENCE_PATTERN.match(text):
        raise CellError(
            f"{quote(text)} is not a valid reference. A reference is up to 20 letters, numbers, dashes "
            "or slashes, for example P-0042. Leave it blank to give the partnership the next free reference."
        )
    return text


def parse_title(value):
    text = " ".join(text_of(value).split())
    if len(text) > 200:
        raise CellError(f"The name is {len(text)} characters long. Shorten it to 200 characters or fewer.")
    return text


def parse_short_text(value):
    """A one-line text of at most 200 characters (the lead as recorded, the value's note)."""
    text = " ".join(text_of(value).split())
    if len(text) > MAX_TEXT:
        raise CellError(f"This is {len(text)} characters long. Shorten it to {MAX_TEXT} characters or fewer.")
    return text


class CellReader:
    """Turns cells into register values for one file, proposing each new organisation once."""

    def __init__(self, register, may_add_service_areas=False):
        self.register = register
        self.new_orgs = {}  # name key -> NewOrganisation
        self.new_org_codes = {}  # ODS code -> NewOrganisation
        self.service_areas = ServiceAreaMatcher(register.service_areas, may_add_service_areas)

    def parse(self, key, value):
        """The value of ``value`` in the column mapped to field ``key``; :class:`CellError` if unreadable."""
        register = self.register
        if key == "reference":
            return parse_reference(value)
        if key == "title":
            return parse_title(value)
        if key in ("purpose", "notes"):
            return text_of(value)
        if key in ("recorded_lead", "value_note"):
            return parse_short_text(value)
        if key in CHOICE_PARSERS:
            return CHOICE_PARSERS[key](value)
        if key == "annual_value":
            return parsing.parse_money(value)
        if key == "value_qualifier":
            return parsing.parse_value_qualifier(value)
        if key in DATE_FIELDS:
            return parsing.parse_date(value, end_date=key == "end_date")
        if key == "material_contribution":
            return parsing.parse_yes_no(value)
        if key == "lead":
            return self.lead(value)
        if key == "executive_sponsor":
            return self.person(text_of(value))
        if key == "service_area":
            return self.service_area(value)
        if key == "strategic_objectives":
            return self.listed(value, register.objective, "strategic objective", "strategic objectives")
        if key == "baf_themes":
            return self.listed(value, register.baf_theme, "BAF risk theme", "BAF risk themes")
        if key == "partners":
            return self.partners(text_of(value))
        raise CellError("This column cannot be imported.")

    def person(self, text):
        """The user a sponsor cell names, by username, e-mail or full name."""
        text = " ".join(text.split())
        if not text or parsing.is_unknown_word(text):
            return None
        found = self.register.users_named(text)
        if not found:
            raise CellError(
                f"There is no user called {quote(text)}. Add them as a user first, or write the name, username "
                "or e-mail address of someone who has an account."
            )
        if len(found) > 1:
            return Ambiguous(text, set(found))
        return self.register.users[next(iter(found))]

    def lead(self, value):
        """The lead as written, with the one active user it names (never a guess, never a new user)."""
        text = parse_short_text(value)
        if not text or parsing.is_unknown_word(text):
            return LeadCell("")
        found = self.register.users_named(text)
        active = {pk for pk in found if self.register.users[pk].is_active}
        if len(active) == 1:
            return LeadCell(text, user=self.register.users[active.pop()])
        if active:
            return LeadCell(text, reason=SEVERAL_USERS, candidates=frozenset(active))
        return LeadCell(text, reason=NOT_ACTIVE if found else NO_USER)

    def service_area(self, value):
        text = " ".join(text_of(value).split())
        if not text or parsing.is_unknown_word(text):
            return None
        return self.service_areas.find(text)

    def listed(self, value, lookup, singular, plural):
        """The entries of a reference list a cell names (several separated by ";", "," or lines)."""
        text = text_of(value)
        if not text or parsing.is_unknown_word(text):
            return []
        items = greedy_split(text, r"\s*[;\n,]\s*", lambda t: lookup(t) is not None)
        found, unknown = [], []
        for item in items:
            match = lookup(item)
            if match is None:
                unknown.append(item)
            else:
                found.append(match)
        if unknown:
            names = ", ".join(quote(u) for u in unknown[:5])
            raise CellError(
                f"{names} {'is not a' if len(unknown) == 1 else 'are not'} {singular if len(unknown) == 1 else plural} "
                f"on Accord's list. Use the names on the list (separate several with “;”), or ask an administrator."
            )
        return list(dict.fromkeys(found))

    def partners(self, text):
        """The organisations a partner cell names: existing ones, or new ones to propose."""
        if not text or parsing.is_unknown_word(text):
            return []
        result, errors = [], []
        for item in self.partner_items(text):
            item = " ".join(item.split())
            if not item or parsing.is_unknown_word(item):
                continue
            organisation = self.register.organisation(item)
            if organisation is not None:
                if not organisation.is_home_trust:
                    result.append(organisation)
                continue
            new = self.new_partner(item, errors)
            if new is not None:
                result.append(new)
        if errors:
            raise CellError(" ".join(errors))
        unique = {}
        for org in result:
            unique.setdefault(id(org), org)
        return list(unique.values())

    def partner_items(self, text):
        """A partner cell split into names: on ";" or lines, else on commas unless the whole is a known name."""

        def known(item):
            return self.register.organisation(item) is not None

        if re.search(r"[;\n]", text):
            return greedy_split(text, r"\s*[;\n]+\s*", known)
        if known(text):
            return [text]
        return greedy_split(text, r"\s*,\s*", known)

    def new_partner(self, item, errors):
        """The new organisation an unknown partner names, or None (with the reason in ``errors``)."""
        name, code = split_ods(item)
        existing = self.register.org_by_name.get(normalise_name(name))
        if existing is not None:  # the name is known but with another ODS code
            errors.append(
                f"{quote(item)}: the register already has {existing.name} with "
                f"{'ODS code ' + existing.ods_code if existing.ods_code else 'no ODS code'}. "
                "Correct the code or leave it out."
            )
            return None
        if len(name) > 200:
            errors.append(f"{quote(name)} is too long for an organisation's name (200 characters at most).")
            return None
        return self.propose(name, code, errors)

    def propose(self, name, code, errors):
        """The one NewOrganisation for ``name`` in this file, checking its ODS code against the others."""
        key = normalise_name(name)
        new = self.new_orgs.get(key)
        if new is None:
            if code and code in self.new_org_codes:
                other = self.new_org_codes[code]
                errors.append(f"The ODS code {code} is given both to {quote(other.name)} and {quote(name)}.")
                return other
            new = NewOrganisation(name=name, ods_code=code)
            self.new_orgs[key] = new
            if code:
                self.new_org_codes[code] = new
        elif code and new.ods_code and code != new.ods_code:
            errors.append(f"{quote(name)} is given two ODS codes in the file ({new.ods_code} and {code}).")
        elif code and not new.ods_code:
            if code in self.new_org_codes:
                errors.append(f"The ODS code {code} is given to two different organisations in the file.")
            else:
                new.ods_code = code
                self.new_org_codes[code] = new
        return new
