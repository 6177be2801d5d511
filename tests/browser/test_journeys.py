"""The main journeys through the pages, as a member of the team takes them in Chromium: search
in Arabic, open the document, follow a mention to the profile; add evidence to a case and see
its gap close; export the case's bundle and verify it; the case board in Arabic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from tests.browser.harness import ACCOUNTS, Web, World

from dossier.web.i18n import translator

if TYPE_CHECKING:  # Playwright may be missing: the tests then skip
    from playwright.sync_api import Locator, Page

EN, AR = translator("en"), translator("ar")


def size(locator: Locator) -> tuple[float, float]:
    found = locator.bounding_box()
    return (found["width"], found["height"]) if found else (0.0, 0.0)


def drawn(locator: Locator) -> bool:
    """The element is laid out with a nonzero width and height."""
    width, height = size(locator)
    return width > 0 and height > 0


def text_of(page: Page) -> str:
    return page.locator("main").inner_text()


def test_search_in_arabic_open_the_document_and_follow_a_mention_to_the_profile(
        web: Web, world: World) -> None:
    page = web.page
    web.sign_in(ACCOUNTS["investigator"])

    # 1. an Arabic query from the front page's search box
    box = page.locator("main form[role=search] input[name=q]")
    box.fill(world.arabic_query)
    with page.expect_navigation():
        box.press("Enter")
    assert web.path().startswith("/search?"), web.path()
    hits = page.locator("li.hit")
    assert hits.count() >= 1, text_of(page)
    for index in range(hits.count()):
        marks = hits.nth(index).locator("mark")
        assert marks.count() >= 1, f"hit {index} highlights nothing"
    marked = " ".join(page.locator("li.hit mark").all_inner_texts())
    assert any(word in marked for word in world.arabic_query.split()), marked
    web.step("hits")

    # 2. the hit of a document that names the suspect, opened in the reader
    links = page.locator("li.hit a.hit-link")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    wanted = [i for i, href in enumerate(hrefs)
              if (found := re.match(r"/items/(\d+)", href)) and int(found[1]) in world.arabic_items]
    assert wanted, f"no hit opens an Arabic document naming the suspect: {hrefs}"
    with page.expect_navigation():
        links.nth(wanted[0]).click()
    assert re.fullmatch(r"/items/\d+\?page=\d+", web.path()), web.path()
    text = page.locator("#page-text")
    shown = text.inner_text()
    assert all(word in shown for word in world.arabic_query.split()), shown
    web.step("document")
    image = page.locator("img#page-image")
    if image.count():  # a PDF's page is shown as a picture beside its text
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert page.evaluate("img => img.naturalWidth > 0", image.element_handle()), \
            "the page image did not load"
        web.shot("document-image")

    # 3. the mention of the suspect, followed to his profile
    mention = page.locator(f'#page-text a.mention[href="/entities/{world.suspect_id}"]')
    assert mention.count() >= 1, "the suspect's mention is not linked to his profile"
    with page.expect_navigation():
        mention.first.click()
    assert web.path() == f"/entities/{world.suspect_id}"
    arabic = page.locator("#names-arabic li").all_inner_texts()
    latin = page.locator("#names-latin li").all_inner_texts()
    assert any(name in shown for shown in arabic for name in world.suspect_arabic), arabic
    assert any(name in shown for shown in latin for name in world.suspect_latin), latin
    timeline = page.locator("svg#posts-timeline")
    assert drawn(timeline), "the profile has no timeline of posts"
    assert world.suspect_unit in (timeline.text_content() or ""), "the timeline shows no post"
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length > 0")
    chart = page.locator("canvas#years-chart")
    assert page.evaluate("canvas => Chart.getChart(canvas) !== undefined",
                         chart.element_handle()), "Chart.js did not draw the years' chart"
    assert drawn(chart), "the chart's canvas has no size"
    graph = page.locator("#company-graph canvas")  # the layers Cytoscape draws on
    graph.first.wait_for(state="attached")
    assert drawn(graph.first), "the network graph is not drawn"
    assert page.evaluate("""() => [...document.querySelectorAll('#company-graph canvas')]
        .some(c => c.width > 0 && c.height > 0)"""), "Cytoscape's canvases are empty"
    web.step("profile")
    graph.first.scroll_into_view_if_needed()
    web.shot("profile-graph")
    web.assert_clean()


def matrix_row(page: Page, charge: int, element: str) -> Locator:
    return page.locator(f'#proof-matrix tbody[data-charge="{charge}"] '
                        f'tr.cell[data-element="{element}"]')


def counts(page: Page) -> dict[str, int]:
    """The board's count of elements in each status."""
    return {status: int(page.locator(f"#count-{status}").inner_text().strip())
            for status in ("proven", "single_source", "contradicted", "gap")}


def test_evidence_added_to_a_gap_closes_it_in_the_matrix(web: Web, world: World) -> None:
    page = web.page
    web.sign_in(ACCOUNTS["investigator"], "/cases")
    row = page.locator(f'#cases-table tr[data-case="{world.case_ref}"]')
    assert row.locator('[data-count="gaps"]').inner_text().strip() == str(world.gaps)
    web.step("cases")
    with page.expect_navigation():
        row.locator("a.case-link").click()
    assert web.path() == f"/cases/{world.case_ref}"

    gap = matrix_row(page, world.gap_charge, world.gap_element)
    assert gap.get_attribute("data-status") == "gap"
    before = counts(page)
    assert before["gap"] == world.gaps
    gap.scroll_into_view_if_needed()
    web.step("gap")

    form = page.locator("form#add-evidence")
    form.locator("input[name=item]").fill(str(world.evidence_item))
    form.locator("input[name=page]").fill(str(world.evidence_page))
    form.locator("textarea[name=quote]").fill(world.evidence_quote)
    form.locator("select[name=element]").select_option(
        f"{world.gap_charge}:{world.gap_element}")
    form.locator("textarea[name=assessment]").fill(
        "The branch's own order, signed by its head (synthetic).")
    form.scroll_into_view_if_needed()
    web.step("form")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    assert re.fullmatch(rf"/cases/{re.escape(world.case_ref)}\?added=\d+(#evidence-\d+)?",
                        web.path()), web.path()
    assert page.locator("#evidence-added").is_visible()
    gap = matrix_row(page, world.gap_charge, world.gap_element)
    assert gap.get_attribute("data-status") == "single_source"
    linked = gap.locator("a.evidence-link")
    assert linked.count() == 1
    assert linked.get_attribute("href") == (f"/items/{world.evidence_item}"
                                            f"?page={world.evidence_page}")
    assert world.evidence_quote in gap.inner_text()
    after = counts(page)
    assert after == {**before, "gap": before["gap"] - 1,
                     "single_source": before["single_source"] + 1}, (before, after)
    gap.scroll_into_view_if_needed()
    web.step("gap-closed")

    # the evidence opens the page it quotes
    with page.expect_navigation():
        linked.click()
    assert web.path() == f"/items/{world.evidence_item}?page={world.evidence_page}"
    assert world.evidence_quote.split()[-1] in page.locator("#page-text").inner_text()
    web.step("evidence-page")
    web.assert_clean()


def test_the_case_is_exported_as_a_bundle_and_verified(web: Web, world: World,
                                                       tmp_path: Path) -> None:
    page = web.page
    web.sign_in(ACCOUNTS["investigator"], f"/cases/{world.case_ref}")
    export = page.locator("form#export-bundle")
    export.scroll_into_view_if_needed()
    web.step("before-export")
    with page.expect_navigation():
        export.locator("button[type=submit]").click()
    found = re.fullmatch(rf"/cases/{re.escape(world.case_ref)}\?exported=([^#&]+)(#bundles)?",
                         web.path())
    assert found, web.path()
    name = unquote(found[1])
    assert name in page.locator("#bundle-exported").inner_text()
    bundle = page.locator(f'#bundles-table tr[data-bundle="{name}"]')
    assert bundle.count() == 1
    bundle.scroll_into_view_if_needed()
    web.step("exported")

    # the bundle downloads as the zip the table lists
    with page.expect_download() as download:
        bundle.locator("a.download").click()
    saved = tmp_path / name
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    assert f"{saved.stat().st_size:,}" == bundle.locator("td.number").inner_text().strip()

    with page.expect_navigation():
        bundle.locator("form.verify-bundle button[type=submit]").click()
    result = page.locator("#verify-result")
    assert result.is_visible()
    assert EN("cases.verify.ok", name=name) in result.inner_text()
    assert "success" in (result.get_attribute("class") or "")
    assert result.locator("li.problem").count() == 0
    result.scroll_into_view_if_needed()
    web.step("verified")
    web.assert_clean()


def test_the_arabic_case_board_is_right_to_left(web: Web, world: World) -> None:
    page = web.page
    web.sign_in(ACCOUNTS["arabic"], f"/cases/{world.case_ref}")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.title().startswith(AR("cases.case", ref=world.case_ref))
    matrix = page.locator("#proof-matrix")
    assert matrix.evaluate("table => getComputedStyle(table).direction") == "rtl"
    first, second = (matrix.locator("thead th").nth(i).bounding_box() for i in (0, 1))
    assert first and second and first["x"] > second["x"], \
        "the matrix's first column is not on the right"
    main, heading = page.locator("main").bounding_box(), page.locator("h1").bounding_box()
    assert main and heading
    assert main["x"] + main["width"] - (heading["x"] + heading["width"]) < 60, \
        "the case's title does not start at the right"
    assert AR("cases.matrix.title") in page.locator("h2#matrix").inner_text()
    web.step("board")
    matrix.scroll_into_view_if_needed()
    web.step("matrix")
    page.locator("form#add-evidence").scroll_into_view_if_needed()
    web.step("evidence-form")
    web.assert_clean()


def test_a_read_only_user_sees_the_board_without_the_forms_that_change_it(
        web: Web, world: World) -> None:
    page = web.page
    web.sign_in(ACCOUNTS["read_only"], f"/cases/{world.case_ref}")
    assert page.locator("#proof-matrix tr.cell").count() > 0
    assert page.locator("form#add-evidence").count() == 0
    assert page.locator("form#export-bundle").count() == 0
    assert page.locator("a.download").count() == 0
    web.step("board")
    web.assert_clean()


def test_every_linked_mention_of_an_arabic_page_opens_its_profile(
        web: Web, world: World) -> None:
    """Persons, units and places alike: each linked mention opens a page titled with the name
    the mention links to (a unit's on /units/…, the others' on /entities/…)."""
    page = web.page
    web.sign_in(ACCOUNTS["investigator"],
                f"/items/{world.evidence_item}?page={world.evidence_page}")
    mentions = page.locator("#page-text a.mention")
    targets: dict[str, tuple[str, str | None]] = {}
    for index in range(mentions.count()):
        mention = mentions.nth(index)
        href, name = mention.get_attribute("href"), mention.get_attribute("title")
        targets.setdefault(href or "", (name or "", mention.get_attribute("data-kind")))
    assert any(href.startswith("/units/") for href in targets), targets
    assert f"/entities/{world.suspect_id}" in targets, targets
    web.step("document")
    shown: set[str | None] = set()
    for href, (name, kind) in sorted(targets.items()):
        assert re.fullmatch(r"/(entities|units)/\d+", href), href
        assert href.startswith("/units/") == (kind in ("unit", "facility")), (href, kind)
        response = page.goto(web.url(href))
        assert response is not None and response.status == 200, \
            f"{href} ({kind} {name}) answers {response.status if response else None}"
        assert name and name in page.locator("h1").inner_text(), (href, name)
        if kind in shown:
            web.assert_clean()
        else:  # a screenshot of the first profile of each kind
            shown.add(kind)
            web.step(f"{kind}-{href.strip('/').replace('/', '-')}")
    web.assert_clean()
