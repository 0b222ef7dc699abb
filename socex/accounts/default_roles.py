"""The roles a new installation starts with. Administrators may change them in the app."""

from __future__ import annotations

DEFAULT_ROLES: list[dict[str, object]] = [
    {
        "code": "hub-detective",
        "name": "Hub detective",
        "description": "Detective in a SOCEX hub: investigations, operations, disruption, NRM first responder.",
        "police_only": True,
        "capabilities": [
            "case.view_all", "case.edit", "referral.triage", "person.view", "person.merge", "nrm.manage",
            "intel.view", "intel.create", "investigation.manage", "sharing.manage", "workload.view",
            "analytics.view",
        ],
    },
    {
        "code": "hub-officer",
        "name": "Hub officer",
        "description": "Non-detective hub staff: triage, safeguarding, NRM referrals, partner liaison.",
        "police_only": True,
        "capabilities": [
            "case.view_all", "case.edit", "referral.triage", "referral.create", "person.view", "nrm.manage",
            "intel.create", "sharing.manage", "workload.view",
        ],
    },
    {
        "code": "intelligence-analyst",
        "name": "Intelligence analyst",
        "description": "Grades, sanitises and links intelligence; produces threat assessments.",
        "police_only": True,
        "capabilities": [
            "case.view_all", "person.view", "intel.view", "intel.create", "intel.evaluate", "analytics.view",
        ],
    },
    {
        "code": "partner-practitioner",
        "name": "Partner practitioner",
        "description": "Council, school, health or charity worker: refers, sees shared cases, owns actions.",
        "police_only": False,
        "capabilities": ["case.view_shared", "referral.create", "person.view"],
    },
    {
        "code": "mace-chair",
        "name": "MACE chair",
        "description": "Runs multi-agency child exploitation meetings and agrees plans.",
        "police_only": False,
        "capabilities": ["case.view_shared", "referral.create", "mace.manage", "person.view", "sharing.manage"],
    },
    {
        "code": "vrp-officer",
        "name": "VRP officer",
        "description": "Violence Reduction Partnership: budgets, allocations, bids, response fund, needs assessment.",
        "police_only": False,
        "capabilities": ["funding.view", "funding.manage", "analytics.view"],
    },
    {
        "code": "supervisor",
        "name": "Supervisor",
        "description": "Approves work, watches workload and overdue actions.",
        "police_only": False,
        "capabilities": ["case.view_shared", "workload.view", "funding.view", "funding.approve", "sharing.manage"],
    },
    {
        "code": "auditor",
        "name": "Auditor",
        "description": "Information manager: audit trail, retention reviews, access reports.",
        "police_only": False,
        "capabilities": ["audit.view", "sharing.view_all"],
    },
    {
        "code": "administrator",
        "name": "Administrator",
        "description": "Manages users, roles and organisations.",
        "police_only": False,
        "capabilities": ["users.manage"],
    },
]
