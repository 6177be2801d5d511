"""How dates, numbers and reference numbers are written in the three languages.

Arabic documents use Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩) and the Levantine month names
(كانون الثاني ... كانون الأول); some clerks type European digits. English and French
documents write dates the way translators and investigators do. Each function returns
the exact surface string, so the truth can say how a date was written.
"""

from __future__ import annotations

import random
from datetime import date

__all__ = ["AR_MONTHS", "FR_MONTHS", "ar_digits", "format_date", "format_ref"]

AR_MONTHS = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

_AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def ar_digits(text: object) -> str:
    """``text`` with European digits replaced by Arabic-Indic ones."""
    return str(text).translate(_AR_DIGITS)


def format_date(day: date, language: str, rng: random.Random) -> str:
    """One of the usual ways of writing ``day`` in ``language``, chosen by ``rng``."""
    d, m, y = day.day, day.month, day.year
    if language == "ar":
        style = rng.choices(range(6), (30, 22, 22, 8, 10, 8))[0]
        return [
            ar_digits(f"{y}/{m}/{d}"),
            ar_digits(f"{d}/{m}/{y}"),
            f"{ar_digits(d)} {AR_MONTHS[m - 1]} {ar_digits(y)}",
            ar_digits(f"{d}/{m}/{y}") + "م",
            f"{y}/{m}/{d}",
            ar_digits(f"{y}-{m}-{d}"),
        ][style]
    if language == "fr":
        style = rng.choices(range(4), (45, 30, 15, 10))[0]
        day_fr = "1er" if d == 1 else str(d)
        return [
            f"{day_fr} {FR_MONTHS[m - 1]} {y}",
            f"{d:02d}/{m:02d}/{y}",
            f"{d:02d}.{m:02d}.{y}",
            day.isoformat(),
        ][style]
    style = rng.choices(range(4), (40, 25, 20, 15))[0]
    return [
        f"{d} {EN_MONTHS[m - 1]} {y}",
        f"{EN_MONTHS[m - 1]} {d}, {y}",
        day.isoformat(),
        f"{d:02d}/{m:02d}/{y}",
    ][style]


def format_ref(number: int, language: str, rng: random.Random, branch: int | None) -> str:
    """A reference number as registries write it: ٢٣٤٥/ص, ص/٢٣٤٥, ٢٣٤٥/٢٥١ ..."""
    if language == "ar":
        options = [f"{ar_digits(number)}/ص", f"ص/{ar_digits(number)}", f"{ar_digits(number)}/م"]
        if branch is not None:
            options.append(ar_digits(f"{number}/{branch}"))
        return rng.choice(options)
    if language == "fr":
        return rng.choice([f"{number}/S", f"{number}/{branch or 'D'}"])
    return rng.choice([f"{number}/S", f"{number}/{branch or 'D'}", f"{number}/SEC"])
