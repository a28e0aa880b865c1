"""What is on the register already: everything planning needs, read in a fixed number of queries.

Partnerships (by reference and by name), users (by username, e-mail and full name),
organisations (by name and ODS code) and the reference lists are read once into dictionaries;
the partnerships a file matches are then loaded with their links, in chunks of ids.
"""

import re

from accounts.models import User
from core.models import BafRiskTheme, ServiceArea, StrategicObjective
from organisations.models import ODS_CODE, Organisation, normalise_name
from partnerships.importing.fields import M2M_FIELDS
from partnerships.models import PartnerRole, Partnership

CHUNK = 900  # ids per IN (...) query: well under every database's parameter limit
MATCHED_RELATED = ("lead", "executive_sponsor", "service_area", "status_changed_by")

_NAME_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<code>[A-Za-z0-9]{3,6})\s*\)$")
_NOT_ODS_CODES = {"NHS", "ICB", "CCG", "ICS", "PCN", "CIC", "LTD", "PLC", "CIO", "VCS", "LLP", "UK", "GP", "FT"}
_OBJECTIVE_NUMBER = re.compile(r"^(?:so\s*|objective\s*)?(\d{1,3})\s*(?:[).:\-–]\s*(.*))?$", re.IGNORECASE)
_HONORIFICS = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|miss|mx|sir|dame|cllr)\.?\s+", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*\(.*\)\s*$")


def name_keys(text):
    """The keys a person cell is looked up by, most exact first.

    As written (a username or an e-mail address), then the name with its case and spacing
    ignored, without a title or a job in brackets ("Dr Anne Clarke", "Anne Clarke (Partnership
    Manager)"), and turned round ("Clarke, Anne"). A job title alone matches nobody.
    """
    text = " ".join(text.split())
    plain = _HONORIFICS.sub("", _BRACKETED.sub("", text).strip() or text)
    keys = [text.casefold(), normalise_name(text), normalise_name(plain)]
    if plain.count(",") == 1:
        last, first = plain.split(",")
        keys.append(normalise_name(f"{_HONORIFICS.sub('', first.strip())} {last}"))
    return list(dict.fromkeys(key for key in keys if key))


def chunks(ids):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class Register:
    """The register's current contents needed to plan an import, each read in one query."""

    def __init__(self):
        self.partnership_keys = list(Partnership.objects.values_list("pk", "reference", "title"))
        self.by_reference = {ref.upper(): pk for pk, ref, _ in self.partnership_keys}
        self.by_title = {}
        for pk, _, title in self.partnership_keys:
            self.by_title.setdefault(normalise_name(title), []).append(pk)
        self.users = {u.pk: u for u in User.objects.all()}
        self.user_keys = self._user_keys()
        self.organisations = {o.pk: o for o in Organisation.objects.all()}
        self.org_by_name = {o.name_key: o for o in self.organisations.values()}
        self.org_by_code = {o.ods_code: o for o in self.organisations.values() if o.ods_code}
        self.service_areas = {normalise_name(s.name): s for s in ServiceArea.objects.all()}
        self.objectives = list(StrategicObjective.objects.all())
        self.objective_by_name = {normalise_name(o.name): o for o in self.objectives}
        self.objective_by_number = {o.number: o for o in self.objectives}
        self.baf_themes = {normalise_name(t.name): t for t in BafRiskTheme.objects.all()}
        # Filled by load_matched: the partnerships the file names, with their current links.
        self.matched = {}
        self.existing_m2m = {name: {} for name in M2M_FIELDS}
        self.existing_partners = {}

    def _user_keys(self):
        """Username, e-mail and full name (each compared loosely) -> the ids of the users they name."""
        keys_to_users = {}
        for user in self.users.values():
            keys = {user.username.casefold(), normalise_name(user.get_full_name())}
            if user.email:
                keys.add(user.email.strip().casefold())
            for key in keys - {""}:
                keys_to_users.setdefault(key, set()).add(user.pk)
        return keys_to_users

    def users_named(self, text):
        """The ids of the users (active or not) a person cell names, by the first key that finds any."""
        for key in name_keys(text):
            if key in self.user_keys:
                return set(self.user_keys[key])
        return set()

    def load_matched(self, ids, columns):
        """Read the partnerships with these ids, and the links of theirs the file's ``columns`` hold."""
        self.matched = {}
        self.existing_m2m = {name: {} for name in M2M_FIELDS}
        self.existing_partners = {}
        for chunk in chunks(sorted(ids)):
            for p in Partnership.objects.filter(pk__in=chunk).select_related(*MATCHED_RELATED):
                self.matched[p.pk] = p
            for name in M2M_FIELDS:
                if name in columns:
                    self._load_m2m(name, chunk)
            if "partners" in columns:
                pairs = PartnerRole.objects.filter(partnership_id__in=chunk).values_list(
                    "partnership_id", "organisation_id"
                )
                for pk, org in pairs:
                    self.existing_partners.setdefault(pk, set()).add(org)

    def _load_m2m(self, name, chunk):
        m2m = Partnership._meta.get_field(name)
        through = m2m.remote_field.through
        own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        for pk, item in through.objects.filter(**{f"{own}__in": chunk}).values_list(own, other):
            self.existing_m2m[name].setdefault(pk, set()).add(item)

    def objective(self, text):
        key = normalise_name(text)
        if key in self.objective_by_name:
            return self.objective_by_name[key]
        match = _OBJECTIVE_NUMBER.match(key)
        if match:
            found = self.objective_by_number.get(int(match[1]))
            if found is not None and (not match[2] or normalise_name(match[2]) == normalise_name(found.name)):
                return found
            if match[2]:
                return self.objective_by_name.get(normalise_name(match[2]))
        return None

    def baf_theme(self, text):
        return self.baf_themes.get(normalise_name(text))

    def organisation(self, text):
        """The existing organisation a partner cell's item names (by ODS code or name), or None.

        "Name (RTH)" matches by the code; a known name given with a different code matches
        nothing, so the importer can point out the clash instead of guessing.
        """
        text = " ".join(text.split())
        if text.upper() in self.org_by_code:
            return self.org_by_code[text.upper()]
        whole = self.org_by_name.get(normalise_name(text))
        if whole is not None:
            return whole
        name, code = split_ods(text)
        if code is None:
            return None
        if code in self.org_by_code:
            return self.org_by_code[code]
        named = self.org_by_name.get(normalise_name(name))
        if named is not None and not named.ods_code:
            return named
        return None


def split_ods(text):
    """("Oxford University Hospitals", "RTH") from "Oxford University Hospitals (RTH)"."""
    match = _NAME_WITH_CODE.match(text)
    if match:
        code = match["code"].upper()
        if ODS_CODE.match(code) and code not in _NOT_ODS_CODES and match["name"].strip():
            return match["name"].strip(), code
    return text, None
