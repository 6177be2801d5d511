"""English and French templates: translations of seized documents and investigators' notes.

Investigators in Europe work from unofficial translations and write case summaries; those
spell Arabic names the Western way, each translator differently, which is what name
linkage has to cope with. Case summaries state command relations in prose ("At that time
Branch 251 was headed by ..."), a second kind of claim next to signatures.
"""

from __future__ import annotations

from datetime import timedelta

from dossier.demo.documents import DocBuilder
from dossier.demo.spec import Claim
from dossier.demo.units import RANKS
from dossier.demo.world import Post

__all__ = ["TEMPLATES_EN", "TEMPLATES_FR"]

_T = {
    "translation": ("UNOFFICIAL TRANSLATION FROM ARABIC", "TRADUCTION NON OFFICIELLE DE L'ARABE"),
    "republic": ("Syrian Arab Republic", "République arabe syrienne"),
    "ref": ("Ref.", "Réf."),
    "date": ("Date", "Date"),
    "secret": ("Top secret", "Très secret"),
    "arrest": ("Arrest order", "Ordre d'arrestation"),
    "transfer": ("Transfer order", "Ordre de transfert"),
    "death": ("Death report", "Rapport de décès"),
    "list": ("List of detainees", "Liste des détenus"),
    "memo": ("Internal memorandum", "Note interne"),
    "summary": ("Case summary", "Note de synthèse"),
    "cause": (
        "Cause of death: cardiac and respiratory arrest",
        "Cause du décès : arrêt cardiaque et respiratoire",
    ),
}


def _t(b: DocBuilder, key: str) -> str:
    return _T[key][0 if b.lang == "en" else 1]


def _letterhead(b: DocBuilder, title_key: str, *, translation: bool = True) -> None:
    unit = b.world.by_id[b.ctx.unit]
    b.spec.title = _t(b, title_key)
    if translation:
        b.para(_t(b, "translation"), "heading", "center")
        b.para(_t(b, "republic"), "heading")
        if unit.parent:
            b.para(b.unit(unit.parent, usual=True), "heading")
        b.para(b.unit(unit.id), "heading")
        b.para(f"{_t(b, 'ref')}: {b.ref()}")
        b.para(f"{_t(b, 'date')}: {b.date(b.ctx.issued)}")
        b.para(_t(b, "secret"), "heading", "center")
    b.space(6)
    b.para(_t(b, title_key), "title", "center")
    if b.retyped:
        b.para(
            "Certified copy" if b.lang == "en" else "Copie certifiée conforme", "small", "center"
        )


def arrest_order(b: DocBuilder) -> None:
    _letterhead(b, "arrest")
    d = b.ctx.detainees[0]
    if b.lang == "en":
        b.para(
            f"On the basis of the information available to this branch, the person named "
            f"{b.detainee(d)}, born in {d.birth_year}, from {b.governorate(d)} governorate, is to "
            "be arrested and brought to this branch for interrogation."
        )
        b.para("Please take the necessary measures and inform us of the result.")
    else:
        b.para(
            f"Sur la base des informations dont dispose cette branche, le nommé {b.detainee(d)}, "
            f"né en {d.birth_year}, originaire du gouvernorat de {b.governorate(d)}, doit être "
            "arrêté et conduit à cette branche pour y être interrogé."
        )
        b.para("Prière de prendre les mesures nécessaires et de nous informer du résultat.")
    b.sign(b.ctx.unit, b.ctx.issued)


def transfer_order(b: DocBuilder) -> None:
    _letterhead(b, "transfer")
    source, target = b.unit(b.ctx.unit, usual=True), b.unit(b.ctx.target or b.ctx.unit)
    count = len(b.ctx.detainees)
    if b.lang == "en":
        b.para(f"From: {source}")
        b.para(f"To: {target}")
        listed = "the detainee listed" if count == 1 else f"the {count} detainees listed"
        b.para(f"We send you {listed} below for further interrogation according to the rules:")
    else:
        b.para(f"De : {source}")
        b.para(f"À : {target}")
        b.para(
            f"Objet : transfert de détenus. Nous vous adressons les {count} détenus dont "
            "les noms suivent pour la poursuite de leur interrogatoire :"
        )
    _table(b)
    b.sign(b.ctx.unit, b.ctx.issued)


def _table(b: DocBuilder) -> None:
    if b.lang == "en":
        rows = [["No.", "Name", "Mother", "Born", "Governorate", "Arrested"]]
    else:
        rows = [["N°", "Nom", "Mère", "Né en", "Gouvernorat", "Arrêté le"]]
    for i, d in enumerate(b.ctx.detainees, start=1):
        mother = b.rng.choice(d.mother.en if b.lang == "en" else d.mother.fr)
        rows.append(
            [
                str(i),
                b.detainee(d),
                mother,
                str(d.birth_year),
                b.governorate(d),
                b.date(d.arrest_date),
            ]
        )
    b.table(rows)


def detainee_list(b: DocBuilder) -> None:
    _letterhead(b, "list")
    if b.lang == "en":
        b.para(f"Detainees held by {b.unit(b.ctx.unit)} as of {b.date(b.ctx.issued)}")
    else:
        b.para(f"Détenus de la {b.unit(b.ctx.unit)} au {b.date(b.ctx.issued)}")
    _table(b)
    b.sign(b.ctx.unit, b.ctx.issued)


def death_report(b: DocBuilder) -> None:
    _letterhead(b, "death")
    d = b.ctx.detainees[0]
    if d.body_number:
        label = "Body number" if b.lang == "en" else "Numéro du corps"
        b.para(f"{label}: {b.note('ref', d.body_number, d.body_number)}")
    b.para(f"{'Name' if b.lang == 'en' else 'Nom'}: {b.detainee(d)}")
    referred = "Referred by" if b.lang == "en" else "Transmis par"
    b.para(f"{referred}: {b.unit(b.ctx.target or 'MI-227')}")
    died = "Date of death" if b.lang == "en" else "Date du décès"
    b.para(f"{died}: {b.date(d.death_date or b.ctx.issued)}")
    b.para(_t(b, "cause"))
    b.sign(b.ctx.unit, b.ctx.issued)


def memo(b: DocBuilder) -> None:
    _letterhead(b, "memo")
    hospital = b.rng.choice(("F-601", "F-TISHREEN"))
    b.para("To: Head of the Interrogation Section")
    b.para(
        f"Sick detainees are to be transferred to {b.unit(hospital)} only on the basis of a "
        "written order signed by the head of the branch."
    )
    b.para("No information about detainees is to be given to their families.")
    b.sign(b.ctx.unit, b.ctx.issued)


def case_summary(b: DocBuilder) -> None:
    """An investigator's summary: prose about one detainee and who commanded where."""
    _letterhead(b, "summary", translation=False)
    d = b.ctx.detainees[0]
    head, post = b.world.head_of(b.ctx.unit, b.ctx.issued)
    en = b.lang == "en"
    b.para(
        f"{'Prepared on' if en else 'Établie le'} {b.date(b.ctx.issued + timedelta(days=30))}",
        "small",
    )
    b.para(f"{'Detainee' if en else 'Détenu'}: {b.detainee(d)}")
    gov = b.governorate(d)
    arrested, unit = b.date(d.arrest_date), b.unit(d.arresting_unit)
    if en:
        b.para(f"The detainee, from {gov} governorate, was arrested on {arrested} by {unit}.")
    else:
        b.para(
            f"Le détenu, originaire du gouvernorat de {gov}, a été arrêté le {arrested} "
            f"par la {unit}."
        )
    held_unit, since = b.unit(b.ctx.unit), b.date(b.ctx.issued)
    name, rank = b.person(head), b.rank(post)
    if en:
        sentence = (
            f"He was held at {held_unit} on {since}. At that time {held_unit} was "
            f"headed by {rank} {name}."
        )
    else:
        sentence = (
            f"Il était détenu à la {held_unit} le {since}. À cette date, la {held_unit} "
            f"était dirigée par le {rank} {name}."
        )
    b.para(sentence)
    b.spec.claims.append(_claim(b, head.id, post, sentence))
    b.para(
        "Witnesses describe beatings and torture during interrogation."
        if en
        else "Des témoins décrivent des coups et des actes de torture pendant les interrogatoires."
    )
    if d.death_date and d.death_place:
        place, died = b.unit(d.death_place), b.date(d.death_date)
        b.para(
            f"According to a death report of {place}, the detainee died on {died}."
            if en
            else f"Selon un rapport de décès de l'{place}, le détenu est décédé le {died}."
        )
    else:
        b.para(
            "His fate after that date is not documented."
            if en
            else "Son sort après cette date n'est pas documenté."
        )
    b.para(
        "Source documents: see annex (synthetic)."
        if en
        else "Documents sources : voir annexe (fictive).",
        "small",
    )


def _claim(b: DocBuilder, person: str, post: Post, surface: str) -> Claim:
    rank = next(r for r in RANKS if r.ar == post.rank)
    return Claim(
        person, "holds_post", post.unit, post.role, rank.en, b.ctx.issued.isoformat(), surface
    )


TEMPLATES_EN = {
    "arrest_order": arrest_order,
    "transfer_order": transfer_order,
    "detainee_list": detainee_list,
    "death_report": death_report,
    "memo": memo,
    "case_summary": case_summary,
}
TEMPLATES_FR = {
    "arrest_order": arrest_order,
    "transfer_order": transfer_order,
    "detainee_list": detainee_list,
    "death_report": death_report,
    "case_summary": case_summary,
}
