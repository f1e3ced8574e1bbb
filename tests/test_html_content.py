"""The article told apart from the site around it, measured on twelve news pages of
different layouts (tests/html_pages.py): the site's menus, share buttons, comment forms,
"Les + lus" lists and footers are kept, the article's title, lead, byline, body and
captions translated."""

from __future__ import annotations

from translator.documents.html_content import Candidate, Extraction, article_ids

from .html_pages import pages, score, visible


def test_the_pages_are_twelve_layouts_with_their_articles():
    built = pages()
    assert len(built) == 12 and len({page for _, page, _ in built}) == 12
    for name, page, main in built:
        shown = visible(page)
        assert len(main) >= 5 and all(text in shown for text in main), name
        assert any(menu in shown for menu in ("Politique", "Rubriques", "Débats", "Football", "Lyon", "Culture", "dépêches")), name


def test_boilerplate_precision_and_recall_on_the_pages():
    found = score()
    assert found["units"] > 300 and found["site_units"] > 200
    assert found["precision"] >= 0.98, found["misses"]  # what is kept as site is site
    assert found["recall"] >= 0.9, found["misses"]  # most of the site is kept
    assert found["article_recall"] >= 0.98, found["misses"]  # the article is translated


def test_captions_leads_and_bylines_around_the_extracted_text_count_as_article():
    candidates = [Candidate("menu", "Monde", "/html/body/nav/ul/li", "li"),
                  Candidate("h1", "Le titre de l'article", "/html/body/main/h1", "h1"),
                  Candidate("lead", "Un chapô que l'extracteur a laissé de côté, assez long.", "/html/body/main/p[1]",
                            "p"),
                  Candidate("by", "Par Claire Martin", "/html/body/main/p[2]", "p"),
                  Candidate("body", "Le premier paragraphe du corps de l'article, bien long.", "/html/body/main/p[3]",
                            "p"),
                  Candidate("body2", "Le second paragraphe du corps, tout aussi long que le premier.",
                            "/html/body/main/p[4]", "p"),
                  Candidate("cap", "Une légende", "/html/body/main/figure/figcaption", "figcaption"),
                  Candidate("alt", "Une photo", "/html/body/main/figure/img", "img", attribute="alt", src="a.jpg"),
                  Candidate("share", "Partager", "/html/body/main/div/a", "a", attribute="aria-label"),
                  Candidate("title", "Le titre – Le Site", "/html/head/title", "title", head=True)]
    found = Extraction(["Le titre de l'article", "Le premier paragraphe du corps de l'article, bien long.",
                        "Le second paragraphe du corps, tout aussi long que le premier."], "Le titre de l'article")
    assert article_ids(candidates, found) == {"h1", "lead", "by", "body", "body2", "cap", "alt", "title"}
