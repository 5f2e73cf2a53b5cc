"""Importing a plan written in any hand: inspect → mapping → preview → write (docs/importing.md).

``inspect`` reads every sheet of an .xlsx/.csv and proposes a :class:`~tenken.imports.mapping.Mapping`
(header rows, column → field with the reason for each guess, rows that are not data, the plan's own
status scale, year columns). ``preview`` applies a mapping and lists the plan tree and every located
problem; ``services`` writes it all or nothing and keeps the confirmed mapping as the organization's
profile. The web wizard and ``tenken import-plan --inspect / --mapping`` call the same functions.
"""
