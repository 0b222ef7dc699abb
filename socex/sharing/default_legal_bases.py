"""The legal bases a new installation starts with (migration 0003 loads them).

Administrators change the list in the app afterwards; a basis in use is withdrawn, never
deleted. Titles give the Act and section; descriptions say in plain words what each allows.
"""

from __future__ import annotations

from typing import Any

DEFAULT_LEGAL_BASES: list[dict[str, str]] = [
    {
        "code": "children-act-1989-s17",
        "title": "Children Act 1989, section 17 (children in need)",
        "description": (
            "The local authority's general duty to safeguard and promote the welfare of children in need in its area, "
            "and to provide services for them. Use when sharing to support the assessment of, or services for, a "
            "child in need."
        ),
    },
    {
        "code": "children-act-1989-s47",
        "title": "Children Act 1989, section 47 (child protection enquiries)",
        "description": (
            "Where a local authority has reasonable cause to suspect that a child in its area is suffering, or is "
            "likely to suffer, significant harm, it must make enquiries to decide whether to act to safeguard the "
            "child. The bodies named in section 47(11) must help with those enquiries, in particular by providing "
            "relevant information, when the authority asks (section 47(9))."
        ),
    },
    {
        "code": "children-act-2004-s11",
        "title": "Children Act 2004, section 11 (safeguarding and promoting welfare)",
        "description": (
            "Requires named bodies, among them local authorities, chief officers of police and NHS bodies, to make "
            "arrangements so that their functions are discharged having regard to the need to safeguard and promote "
            "the welfare of children."
        ),
    },
    {
        "code": "crime-and-disorder-act-1998-s115",
        "title": "Crime and Disorder Act 1998, section 115 (disclosure of information)",
        "description": (
            "Any person may disclose information to a relevant authority (such as the police, local authorities, "
            "probation providers and health bodies) where the disclosure is necessary or expedient for the purposes "
            "of the Act, including reducing crime and disorder. It is a power, not a duty: the sharing must still "
            "comply with data protection law."
        ),
    },
    {
        "code": "dpa-2018-sch8-para4",
        "title": "Data Protection Act 2018, Schedule 8, paragraph 4 (safeguarding of children and individuals at risk)",
        "description": (
            "A condition for sensitive processing for law enforcement purposes. Processing is necessary to protect "
            "a person under 18, or a person aged 18 or over who is at risk, from neglect or physical, mental or "
            "emotional harm, or to protect their well-being; it is done without consent because consent cannot be "
            "given, cannot reasonably be obtained, or seeking it would prejudice the protection; and it is necessary "
            "for reasons of substantial public interest."
        ),
    },
    {
        "code": "dpa-2018-s35",
        "title": "Data Protection Act 2018, Part 3, section 35 (law enforcement purposes)",
        "description": (
            "The first principle for law enforcement processing: processing is lawful only if it is based on law and "
            "either the person has consented or it is necessary for a task carried out for law enforcement purposes "
            "by a competent authority, such as the police. Sensitive processing also needs a Schedule 8 condition "
            "and an appropriate policy document (sections 35(3) to (5) and 42)."
        ),
    },
    {
        "code": "pcsc-act-2022-s16",
        "title": "Police, Crime, Sentencing and Courts Act 2022, section 16 (Serious Violence Duty)",
        "description": (
            "Lets the authorities under the Serious Violence Duty disclose information to one another for the "
            "purposes of that duty: working together to prevent and reduce serious violence in the area. Such a "
            "disclosure does not breach any obligation of confidence, but it must still comply with data protection "
            "law."
        ),
    },
    {
        "code": "modern-slavery-act-2015-s52",
        "title": "Modern Slavery Act 2015, section 52 (Duty to Notify)",
        "description": (
            "Specified public authorities, among them the police and local authorities, must notify the Home Office "
            "when they have reasonable grounds to believe a person may be a victim of slavery or human trafficking. "
            "A notification may identify an adult only with their consent (section 52(3))."
        ),
    },
    {
        "code": "consent",
        "title": "Consent of the person concerned",
        "description": (
            "The person, or for a young child someone with parental responsibility, has freely given informed "
            "consent to this sharing and may withdraw it. Rarely the right basis where a child is at risk: consent "
            "is not needed to share information to protect a child from harm, and a statutory basis is usually "
            "better."
        ),
    },
]


def add_default_legal_bases(legal_basis_model: Any) -> None:
    """Create any default legal basis that is missing (by code); existing ones are left as they are."""
    for item in DEFAULT_LEGAL_BASES:
        legal_basis_model.objects.get_or_create(code=item["code"], defaults=item)
