"""The requirements matrix Accord ships with: which IG items each kind of partnership needs.

An administrator changes it on the "IG requirements" page (administration/ig-requirements/): a
cell the administrator has saved is a row of ``IGRequirement``; a cell with no row (a new database,
a new type of arrangement) requires these defaults, which the data migration
``0002_default_requirements`` also writes as rows. They are only the starting point, drawn from
UK GDPR, the Caldicott principles and the DSPT (REFERENCE.md §3), to answer the seed paper's
question of "which information governance documents are required/essential for different types of
partnerships (e.g. what level of information governance assurance is required for small/informal
partnerships?)".

By level of data sharing, whatever the arrangement:

- **None**: nothing. A partnership that shares no information needs no IG documents, however
  formal it is; its other governance (an MoU, a contract) is tracked elsewhere.
- **Aggregate or anonymised**: an information sharing agreement (ISA). Anonymised or aggregate
  figures are not personal data, but routine sharing between organisations should still say what
  is shared, why, how often and how re-identification is prevented. An MoU alone is not an ISA.
- **Personal data**: the ISA, plus a data protection impact assessment (DPIA: UK GDPR Art 35,
  mandatory before likely high-risk processing, and the trust's practice for any new sharing of
  personal data), every partner's DSPT at "Standards Met" or better (the NHS's assurance that a
  partner handles data securely), the trust's privacy notice updated to tell people about the
  sharing (Caldicott principle 8, UK GDPR Arts 13–14) and an entry in the record of processing
  activities (ROPA, UK GDPR Art 30).
- **Special category (including health) data**: all of those, plus Caldicott Guardian approval:
  patient-identifiable health data is shared only with the Caldicott Guardian's agreement.

Added for arrangements that typically make one party act for another, with personal or special
category data:

- **Data processing agreement** (UK GDPR Art 28) where the partner typically processes data on the
  trust's behalf, as a processor: a formally procured contract, a single action waiver (a contract
  awarded without a tender, the same relationship) and a lead-provider subcontract. The ISA stays
  required too: subcontracted providers are usually also controllers of their own clinical records.
- **Joint controller arrangement** (UK GDPR Art 26) where the partners decide together why and how
  data is used: a provider collaborative and a section 75 agreement (pooled budgets and integrated
  provision between NHS bodies and local authorities).

Left for the administrator to decide (not ticked): a joint controller arrangement for alliances,
joint ventures and research collaborations (which depends on how each is set up), and a DPA for
informal arrangements and MoUs (which usually have no processor).
"""

from partnerships.models import ArrangementType, DataSharing

BY_LEVEL = {
    "none": set(),
    "aggregate": {"isa"},
    "personal": {"isa", "dpia", "partner_dspt", "privacy_notice", "ropa"},
    "special_category": {"isa", "dpia", "partner_dspt", "privacy_notice", "ropa", "caldicott"},
}
PROCESSOR_ARRANGEMENTS = {"procured_contract", "single_action_waiver", "lead_provider_subcontract"}
JOINT_CONTROLLER_ARRANGEMENTS = {"provider_collaborative", "section_75"}
PERSONAL_LEVELS = {"personal", "special_category"}


def default_items(arrangement_type, level):
    """The items required by default for an arrangement type at a level of data sharing (keys)."""
    items = set(BY_LEVEL.get(level, set()))
    if level in PERSONAL_LEVELS and arrangement_type in PROCESSOR_ARRANGEMENTS:
        items.add("dpa")
    if level in PERSONAL_LEVELS and arrangement_type in JOINT_CONTROLLER_ARRANGEMENTS:
        items.add("joint_controller")
    return items


def default_matrix():
    """{(arrangement type, level): set of item keys} for every cell."""
    return {
        (a.value, level.value): default_items(a.value, level.value) for a in ArrangementType for level in DataSharing
    }
