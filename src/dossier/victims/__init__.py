"""Victims: lists as received, their records linked into victims, counts and estimates.

`records` imports a documenting organisation's list row by row, keeping each row exactly as
received; `fields` reads the values of a row (dates, sex, age, governorate, status); `stats`
counts the victims once with the breakdowns a report needs and `charts` draws them.
"""
