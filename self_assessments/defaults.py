"""The shipped questionnaire: "Governance self-assessment for VCSE and independent partners".

What the trust asked every third-sector partner by e-mail (the seed "Trust partnerships update
report"): governance documents, policies, insurance, DBS checks, information governance, business
continuity and finance, in the words the NHS and the voluntary sector use. Written by the data
migration ``0002_default_template`` through :func:`create_default` (historical models), so a new
Accord has it; a change is a new version made in Accord.
"""

NAME = "Governance self-assessment for VCSE and independent partners"
DESCRIPTION = (
    "For voluntary, community and social enterprise (VCSE) and independent sector organisations "
    "working in partnership with the trust. Answer each question for your organisation as it is "
    "today and upload the document asked for; the trust's partnerships team reviews your answers "
    "and agrees any actions with you."
)

# (section, [(text, guidance, answer type, options, weight, required, evidence required, IG item)])
YNP = "yes_no_partly"
SECTIONS = [
    (
        "Governance documents",
        [
            (
                "Does your organisation have a current governing document (constitution, articles of "
                "association, trust deed or rules)?",
                "Upload the signed governing document as registered with the Charity Commission, "
                "Companies House or the FCA.",
                YNP,
                "",
                1,
                True,
                True,
                "",
            ),
            (
                "What is your organisation's legal form?",
                "",
                "choice",
                "Registered charity (CIO)\nCharitable company limited by guarantee\nCommunity interest company\n"
                "Community benefit society\nUnincorporated association\nCompany limited by shares\nOther",
                0,
                True,
                False,
                "",
            ),
            (
                "How many trustees or board members does your organisation have?",
                "Count the trustees or directors in post today.",
                "number",
                "",
                0,
                True,
                False,
                "",
            ),
            (
                "Does the board of trustees (or directors) meet at least quarterly, with minutes kept?",
                "",
                YNP,
                "",
                1,
                True,
                False,
                "",
            ),
            (
                "Has your organisation published an annual report and trustees' report for the last financial year?",
                "Upload the latest annual report.",
                YNP,
                "",
                1,
                True,
                True,
                "",
            ),
        ],
    ),
    (
        "Policies",
        [
            (
                "Do you have a safeguarding adults policy, reviewed in the last two years, with a named "
                "safeguarding lead?",
                "In line with the Care Act 2014 and your local safeguarding adults board's procedures.",
                YNP,
                "",
                2,
                True,
                True,
                "",
            ),
            (
                "Do you have a safeguarding children policy, reviewed in the last two years?",
                "In line with Working Together to Safeguard Children and your local safeguarding "
                "children partnership's procedures.",
                YNP,
                "",
                2,
                True,
                True,
                "",
            ),
            (
                "Do you have a complaints policy that tells people how to complain and how to escalate "
                "to the Parliamentary and Health Service Ombudsman where NHS-funded care is involved?",
                "",
                YNP,
                "",
                1,
                True,
                True,
                "",
            ),
            (
                "Do you have a whistleblowing (speaking up) policy?",
                "Staff and volunteers should know how to raise concerns, including with the trust's "
                "Freedom to Speak Up Guardian.",
                YNP,
                "",
                1,
                True,
                True,
                "",
            ),
            (
                "Do you have an equality, diversity and inclusion policy that meets the Equality Act 2010?",
                "",
                YNP,
                "",
                1,
                True,
                True,
                "",
            ),
        ],
    ),
    (
        "Insurance",
        [
            (
                "Do you hold employer's liability insurance (at least £5 million)?",
                "A legal requirement if you employ staff. Upload the current certificate.",
                YNP,
                "",
                2,
                True,
                True,
                "",
            ),
            ("Do you hold public liability insurance?", "Upload the current schedule.", YNP, "", 2, True, True, ""),
            (
                "Do you hold professional indemnity insurance appropriate to the services you deliver?",
                "",
                YNP,
                "",
                1,
                True,
                True,
                "",
            ),
            ("When does your earliest insurance policy expire?", "", "date", "", 0, True, False, ""),
        ],
    ),
    (
        "DBS checks",
        [
            (
                "Do all staff and volunteers in regulated activity have an enhanced DBS check (with "
                "barred list check where eligible)?",
                "",
                YNP,
                "",
                2,
                True,
                False,
                "",
            ),
            (
                "Do you renew or re-check DBS certificates (or use the DBS Update Service) at least every three years?",
                "",
                YNP,
                "",
                1,
                True,
                False,
                "",
            ),
        ],
    ),
    (
        "Information governance",
        [
            (
                "What is your organisation's current Data Security and Protection Toolkit (DSPT) status?",
                "As published on the DSPT website for the latest financial year.",
                "choice",
                "Standards Exceeded\nStandards Met\nApproaching Standards\nStandards Not Met\nNot published",
                2,
                True,
                False,
                "",
            ),
            (
                "Have you appointed a data protection officer (or named lead for data protection)?",
                "Give their name and role in the comment.",
                YNP,
                "",
                1,
                True,
                False,
                "",
            ),
            (
                "Is an information sharing agreement in place for the personal data you share with the trust?",
                "Upload the signed information sharing agreement (ISA).",
                YNP,
                "",
                2,
                True,
                True,
                "isa",
            ),
            (
                "Where you process personal data on the trust's behalf, is a data processing agreement "
                "(UK GDPR Article 28) in place?",
                "Upload it; answer no if you do not process for the trust.",
                YNP,
                "",
                1,
                False,
                False,
                "dpa",
            ),
            (
                "Do you have a procedure for reporting personal data breaches (to the ICO within 72 hours "
                "and to the trust)?",
                "",
                YNP,
                "",
                1,
                True,
                True,
                "",
            ),
            ("Is your privacy notice up to date and published?", "", YNP, "", 1, True, False, "privacy_notice"),
        ],
    ),
    (
        "Business continuity",
        [
            (
                "Do you have a business continuity plan, tested in the last 12 months?",
                "In line with ISO 22301 principles: how you keep services running through loss of "
                "premises, staff, IT or suppliers.",
                YNP,
                "",
                1,
                True,
                True,
                "",
            ),
        ],
    ),
    (
        "Finance",
        [
            (
                "Have your annual accounts for the last financial year been filed with the Charity "
                "Commission and/or Companies House on time?",
                "Upload the filed accounts.",
                YNP,
                "",
                2,
                True,
                True,
                "",
            ),
            ("Are your accounts independently examined or audited?", "", YNP, "", 1, True, False, ""),
            (
                "Anything else the trust should know about your organisation's governance?",
                "",
                "text",
                "",
                0,
                False,
                False,
                "",
            ),
        ],
    ),
]


def create_default(apps, schema_editor=None, published_on=None):
    """The default questionnaire, version 1, published (a get-or-create: run again, nothing)."""
    import datetime

    Template = apps.get_model("self_assessments", "Template")
    TemplateVersion = apps.get_model("self_assessments", "TemplateVersion")
    Section = apps.get_model("self_assessments", "Section")
    Question = apps.get_model("self_assessments", "Question")
    template, created = Template.objects.get_or_create(name=NAME, defaults={"description": DESCRIPTION})
    if not created and TemplateVersion.objects.filter(template=template).exists():
        return template
    version = TemplateVersion.objects.create(
        template=template, number=1, published_on=published_on or datetime.date(2019, 4, 1), notes="As shipped."
    )
    for s, (title, questions) in enumerate(SECTIONS):
        section = Section.objects.create(version=version, title=title, position=s)
        for q, (text, guidance, kind, options, weight, required, evidence, ig_item) in enumerate(questions):
            Question.objects.create(
                section=section,
                position=q,
                text=text,
                guidance=guidance,
                answer_type=kind,
                options=options,
                weight=weight,
                required=required,
                evidence_required=evidence,
                ig_item=ig_item,
            )
    return template


def remove_default(apps, schema_editor=None):
    pass
