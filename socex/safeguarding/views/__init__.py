"""Safeguarding pages: the plan's actions and work trays (:mod:`.actions`), MACE meetings
(:mod:`.meetings`) and contextual safeguarding (:mod:`.context`)."""
