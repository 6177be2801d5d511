"""Generic Arabic names and the ways Western documents spell them.

Every person in the synthetic world is made by combining common given names and common
family names at random: nobody real is described. A short denylist keeps the generator
from producing the names of publicly known officials of the services it imitates.

The Latin spellings are the ones name matching has to bring together: Mohammad, Muhammad,
Mohamed and Mohammed; Hassan and Hasan; al-, el-, Al and no article; ou/u, q/k/g, ee/i.
French spellings follow French habits (ou, ch for sh, dj for j, final -e).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DENYLIST_FAMILY",
    "DENYLIST_PAIRS",
    "FAMILY",
    "FEMALE",
    "MALE",
    "NamePart",
    "article_forms",
]


@dataclass(frozen=True)
class NamePart:
    """One name in Arabic with its English-style and French-style spellings."""

    ar: str
    en: tuple[str, ...]
    fr: tuple[str, ...]
    article: bool = False  # a family name written with the article ال


def _parts(rows: list[tuple[str, str, str]], article: bool = False) -> tuple[NamePart, ...]:
    return tuple(
        NamePart(ar, tuple(en.split("|")), tuple(fr.split("|")), article) for ar, en, fr in rows
    )


MALE = _parts(
    [
        ("محمد", "Mohammad|Muhammad|Mohamed|Mohammed|Mohamad", "Mohamed|Mohammed|Mouhammad"),
        ("أحمد", "Ahmad|Ahmed", "Ahmed|Ahmad"),
        ("خالد", "Khaled|Khalid", "Khaled"),
        ("حسن", "Hassan|Hasan", "Hassan|Hassane"),
        ("علي", "Ali|Aly", "Ali"),
        ("حسين", "Hussein|Husain|Hussain|Hossein", "Houssein|Hussein"),
        ("محمود", "Mahmoud|Mahmud|Mahmood", "Mahmoud"),
        ("مصطفى", "Mustafa|Moustafa|Mostafa", "Moustafa|Mustapha"),
        ("يوسف", "Youssef|Yousef|Yusuf", "Youssef|Youcef"),
        ("إبراهيم", "Ibrahim|Ebrahim", "Ibrahim|Brahim"),
        ("عمر", "Omar|Umar", "Omar"),
        ("سامر", "Samer", "Samer"),
        ("ماهر", "Maher", "Maher"),
        ("وليد", "Walid|Waleed", "Walid"),
        ("نزار", "Nizar|Nezar", "Nizar"),
        ("فادي", "Fadi|Fady", "Fadi"),
        ("باسل", "Basel|Bassel|Basil", "Bassel"),
        ("بسام", "Bassam|Basam", "Bassam"),
        ("عماد", "Imad|Emad", "Imad"),
        ("غسان", "Ghassan|Ghasan", "Ghassan"),
        ("زياد", "Ziad|Ziyad|Zeyad", "Ziad"),
        ("سليمان", "Suleiman|Sulayman|Soliman|Sleiman", "Souleimane|Sleiman"),
        ("جميل", "Jamil|Jameel|Gamil", "Jamil|Djamil"),
        ("رامي", "Rami|Ramy", "Rami"),
        ("طارق", "Tarek|Tariq|Tarik", "Tarek"),
        ("هيثم", "Haitham|Haytham|Heitham", "Haytham"),
        ("كمال", "Kamal|Kamel", "Kamel"),
        ("منير", "Munir|Mounir|Moneer", "Mounir"),
        ("نبيل", "Nabil|Nabeel", "Nabil"),
        ("سمير", "Samir|Sameer", "Samir"),
        ("رياض", "Riad|Riyad|Riyadh", "Riad"),
        ("عادل", "Adel|Adil", "Adel"),
        ("فراس", "Firas|Feras", "Firas"),
        ("عصام", "Issam|Essam|Isam", "Issam"),
        ("مازن", "Mazen|Mazin", "Mazen"),
        ("ناصر", "Nasser|Naser|Nasir", "Nasser"),
        ("وائل", "Wael|Wail", "Wael"),
        ("أيمن", "Ayman|Aiman", "Aymen|Ayman"),
        ("ياسر", "Yasser|Yasir|Yaser", "Yasser"),
        ("قاسم", "Qasim|Kassem|Qassem|Kasem", "Kassem|Qassem"),
        ("عبد الله", "Abdullah|Abdallah|Abd Allah|Abdulla", "Abdallah"),
        ("عبد الرحمن", "Abdulrahman|Abdul Rahman|Abd al-Rahman|Abdelrahman", "Abderrahmane"),
        ("عبد الكريم", "Abdulkarim|Abdul Karim|Abd al-Karim|Abdelkarim", "Abdelkarim"),
        ("جهاد", "Jihad|Jehad", "Djihad|Jihad"),
        ("منذر", "Munther|Monzer|Munzir", "Mounzer"),
    ]
)

FEMALE = _parts(
    [
        ("فاطمة", "Fatima|Fatma|Fatmeh", "Fatima|Fatma"),
        ("مريم", "Maryam|Mariam|Miriam", "Meriem|Maryam"),
        ("زينب", "Zainab|Zaynab|Zeinab", "Zeineb|Zaynab"),
        ("عائشة", "Aisha|Aysha|Aesha", "Aïcha|Aicha"),
        ("رنا", "Rana", "Rana"),
        ("هبة", "Hiba|Heba", "Hiba"),
        ("سلمى", "Salma|Salmah", "Salma"),
        ("نور", "Nour|Noor|Nur", "Nour"),
        ("ليلى", "Layla|Leila|Laila", "Leïla|Leila"),
        ("سعاد", "Suad|Souad", "Souad"),
        ("هدى", "Huda|Houda|Hoda", "Houda"),
        ("رغد", "Raghad", "Raghad"),
        ("لينا", "Lina|Leena", "Lina"),
        ("آمنة", "Amina|Amna|Aminah", "Amina"),
        ("دعاء", "Duaa|Doaa|Dua'a", "Douaa"),
    ]
)

FAMILY = _parts(
    [
        ("الأحمد", "Ahmad|Ahmed", "Ahmad|Ahmed"),
        ("العلي", "Ali", "Ali"),
        ("الحسن", "Hassan|Hasan", "Hassan|Hassane"),
        ("الحسين", "Hussein|Husain", "Houssein|Hussein"),
        ("المحمد", "Mohammad|Muhammad|Mohamed", "Mohamed|Mohammad"),
        ("الخليل", "Khalil|Khaleel", "Khalil"),
        ("العمر", "Omar|Umar", "Omar"),
        ("الصالح", "Saleh|Salih", "Saleh"),
        ("السعيد", "Saeed|Said|Sa'id", "Saïd|Said"),
        ("الشامي", "Shami|Shamy", "Chami|Chamy"),
        ("الحلبي", "Halabi|Halaby", "Halabi"),
        ("الحمصي", "Homsi|Hamsi", "Homsi"),
        ("الحموي", "Hamwi|Hamawi", "Hamoui|Hamwi"),
        ("الدرويش", "Darwish|Derwish", "Darwich"),
        ("الرفاعي", "Rifai|Refai|Rifa'i", "Rifaï|Refai"),
        ("الجاسم", "Jasem|Jasim|Jassem", "Jassem|Djassem"),
        ("العيسى", "Issa|Eissa|Isa", "Issa"),
        ("النجار", "Najjar|Najar", "Najjar|Nadjar"),
        ("الحداد", "Haddad|Hadad", "Haddad"),
        ("العبدالله", "Abdullah|Abdallah", "Abdallah"),
    ],
    article=True,
) + _parts(
    [
        ("يوسف", "Youssef|Yousef|Yusuf", "Youssef"),
        ("إبراهيم", "Ibrahim|Ebrahim", "Ibrahim"),
        ("صالح", "Saleh|Salih", "Saleh"),
        ("عثمان", "Othman|Osman|Uthman", "Othmane|Osman"),
        ("حمدان", "Hamdan", "Hamdane|Hamdan"),
        ("سليمان", "Suleiman|Sulayman|Sleiman", "Souleimane|Sleiman"),
        ("قاسم", "Qasim|Kassem|Qassem", "Kassem"),
        ("موسى", "Moussa|Musa|Mousa", "Moussa"),
        ("ديب", "Dib|Deeb", "Dib"),
        ("منصور", "Mansour|Mansur", "Mansour"),
        ("حيدر", "Haidar|Haydar|Heidar", "Haïdar|Haydar"),
        ("عباس", "Abbas", "Abbas"),
        ("نصر", "Nasr|Naser", "Nasr"),
        ("سلامة", "Salameh|Salama", "Salamé|Salama"),
        ("خضور", "Khaddour|Khaddur", "Khaddour"),
        ("رزوق", "Razzouk|Razzuk", "Razzouk"),
        ("ونوس", "Wannous|Wanus", "Wannous"),
        ("حاتم", "Hatem|Hatim", "Hatem"),
        ("شاهين", "Shahin|Shaheen", "Chahine|Chahin"),
        ("بكور", "Bakkour|Bakour", "Bakkour"),
        ("مرعي", "Marei|Mar'i|Maree", "Marei"),
        ("طه", "Taha", "Taha"),
        ("عواد", "Awad|Awwad", "Awad"),
    ]
)

# Family names of publicly known officials of the services imitated here: never generated.
DENYLIST_FAMILY = frozenset(
    {
        "الأسد",
        "مخلوف",
        "شاليش",
        "مملوك",
        "شوكت",
        "غزالي",
        "زيتون",
        "قدسية",
        "رسلان",
        "الغريب",
        "شحادة",
        "ملحم",
        "محلا",
        "مصة",
        "رحمون",
        "نجيب",
        "يونس",
        "بلال",
    }
)
# (given, family) pairs of publicly known officials, in any spelling of the article.
DENYLIST_PAIRS = frozenset(
    {
        ("جميل", "حسن"),
        ("جميل", "الحسن"),
        ("علي", "مملوك"),
        ("أنور", "رسلان"),
        ("إياد", "الغريب"),
        ("عبد الفتاح", "قدسية"),
        ("رفيق", "شحادة"),
        ("حافظ", "مخلوف"),
        ("رامي", "مخلوف"),
        ("ماهر", "الأسد"),
        ("بشار", "الأسد"),
        ("آصف", "شوكت"),
        ("رستم", "غزالي"),
        ("علي", "يونس"),
        ("توفيق", "يونس"),
        ("عاطف", "نجيب"),
        ("كفاح", "ملحم"),
        ("محمد", "محلا"),
        ("شفيق", "مصة"),
        ("محمد", "رحمون"),
        ("ناصر", "العلي"),
        ("عبد السلام", "محمود"),
        ("زهير", "الحمد"),
        ("غسان", "بلال"),
        ("محمد", "زيتون"),
        ("ديب", "زيتون"),
    }
)

_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")
_SUN_PREFIX = {
    "S": "as",
    "Sh": "ash",
    "N": "an",
    "D": "ad",
    "R": "ar",
    "Z": "az",
    "T": "at",
    "Kh": "",
}


def article_forms(base: str, ar: str, french: bool = False) -> tuple[str, ...]:
    """Ways a family name with the article is written: al-X, el-X, Al X, X, as-X ..."""
    forms = [f"al-{base}", f"Al-{base}", f"Al {base}", f"el-{base}", base]
    if french:
        forms = [f"al-{base}", f"Al-{base}", f"el-{base}", f"El {base}", base]
    else:
        forms.append(f"Al{base.lower()}")
    if not french and len(ar) > 2 and ar[2] in _SUN_LETTERS:
        for letters, prefix in sorted(_SUN_PREFIX.items(), key=lambda kv: -len(kv[0])):
            if prefix and base.startswith(letters):
                forms.append(f"{prefix}-{base}")
                break
    return tuple(dict.fromkeys(forms))
