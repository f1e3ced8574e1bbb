"""Twelve French news pages with the site around the article, each in another layout
(a national daily, WordPress, a regional site with Bootstrap, a magazine, an agency
dispatch, a live blog, a portal heavy with widgets, AMP, an opinion piece, a sports
report with a results table, an old table layout, a page with reader comments), and
for each the texts that belong to the article (title, lead, byline, body, intertitles,
captions, quotes).  Used to measure how well the article is told apart from the site
(tests/test_html_content.py, bench/documents.py)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field


@dataclass
class Article:
    kicker: str
    title: str
    lead: str
    byline: str
    date: str
    body: list[str]  # paragraphs (may hold inline HTML); "## text" is an intertitle
    caption: str
    alt: str


@dataclass
class Built:
    """A page as it is built: its HTML, and the article's texts as the reader sees them."""

    parts: list[str] = field(default_factory=list)
    main: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def art(self, tag: str, text: str, attrs: str = "") -> None:
        """An element of the article (its text counts as article)."""
        self.main.append(visible(text))
        self.parts.append(f"<{tag}{attrs}>{text}</{tag}>")

    @property
    def page(self) -> str:
        return "\n".join(self.parts) + "\n"


def visible(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


ARTICLES = [
    Article("International", "Cessez-le-feu : Moscou et Kyiv acceptent de reprendre les pourparlers à Genève",
            "Après trois semaines de combats dans l'est de l'Ukraine, les deux camps ont accepté mardi de revenir "
            "à la table des négociations sous l'égide des Nations unies.",
            "Par Claire Martin, envoyée spéciale à Genève", "Publié le 12 mars 2024 à 18h42",
            ["Le Kremlin a confirmé dans un communiqué que la délégation russe arriverait à Genève jeudi matin. "
             "M. Peskov, le porte-parole de Vladimir Poutine, a toutefois prévenu que Moscou ne ferait "
             "« aucune concession sur les questions de sécurité ».",
             "À Kyiv, le président ukrainien a salué une « première étape », tout en rappelant que le précédent "
             "cessez-le-feu, signé en mars, n'avait tenu que onze jours.",
             "## Les Européens préparent de nouvelles sanctions",
             "L'Union européenne prépare un nouveau paquet de sanctions, qui pourrait être suspendu si le "
             "cessez-le-feu est respecté pendant au moins trente jours, selon <a href=\"/international/ue\">"
             "un diplomate européen</a>.",
             "Le Conseil de sécurité de l'ONU doit se réunir vendredi à New York. Les pourparlers devraient durer "
             "au moins une semaine."],
            "La délégation ukrainienne à son arrivée au palais des Nations, à Genève, le 11 mars.",
            "Des diplomates devant le palais des Nations à Genève"),
    Article("Politique", "Réforme des retraites : le gouvernement recourt une nouvelle fois au 49.3",
            "La première ministre a engagé la responsabilité de son gouvernement mercredi après-midi, faute de "
            "majorité assurée à l'Assemblée nationale.",
            "Par Julien Moreau", "Mis à jour le 6 février 2024 à 16h05",
            ["Dans un hémicycle chahuté, la cheffe du gouvernement a justifié sa décision par « l'urgence de "
             "garantir l'avenir de notre système par répartition ».",
             "Les oppositions ont aussitôt annoncé le dépôt de motions de censure. Le groupe LR reste divisé sur la "
             "conduite à tenir.",
             "## Une journée de mobilisation jeudi",
             "Les syndicats appellent à une nouvelle journée de grève et de manifestations jeudi dans toute la "
             "France. La SNCF prévoit un trafic <strong>très perturbé</strong>.",
             "Selon un sondage publié mardi, près de sept Français sur dix restent opposés au texte."],
            "La première ministre à la tribune de l'Assemblée nationale, le 6 février.",
            "La première ministre à la tribune"),
    Article("Faits divers", "Incendie dans un entrepôt de la zone industrielle de Saint-Priest",
            "Plus de quatre-vingts pompiers ont été mobilisés dans la nuit de samedi à dimanche pour maîtriser "
            "les flammes.",
            "Par la rédaction de Lyon", "Le 3 juin 2024 à 7h12",
            ["Le feu s'est déclaré vers 23 heures dans un bâtiment de stockage de palettes. Un épais panache de "
             "fumée était visible depuis le centre de Lyon.",
             "Aucun blessé n'est à déplorer, a indiqué la préfecture du Rhône. Les riverains ont été invités à "
             "garder leurs fenêtres fermées par précaution.",
             "Une enquête a été ouverte pour déterminer l'origine du sinistre. Les pompiers restaient sur place "
             "dimanche matin pour surveiller les foyers résiduels."],
            "Les pompiers engagés sur le site de Saint-Priest dans la nuit de samedi à dimanche.",
            "Un entrepôt en flammes"),
    Article("Culture", "À Arles, la photographie documentaire retrouve sa force",
            "Les Rencontres d'Arles consacrent cette année une large place aux photographes qui documentent les "
            "bouleversements du climat.",
            "Par Sophie Lambert", "Publié le 2 juillet 2024",
            ["Dans l'église des Frères-Prêcheurs, une quarantaine de tirages grand format montrent les glaciers "
             "alpins photographiés à cinquante ans d'intervalle.",
             "## Des images qui dérangent",
             "La commissaire de l'exposition assume un parti pris militant : « Nous voulons que le visiteur sorte "
             "avec une question, pas avec une carte postale. »",
             "Le festival attend plus de cent quarante mille visiteurs jusqu'à la fin du mois de septembre.",
             "## Une programmation ouverte",
             "Pour la première fois, une section entière est confiée à de jeunes photographes africains, dont "
             "plusieurs exposent en Europe pour la première fois."],
            "Un tirage de la série consacrée au glacier du Rhône, exposé à l'église des Frères-Prêcheurs.",
            "Un glacier photographié en 1974 et en 2024"),
    Article("Économie", "L'inflation ralentit à 2,3 % sur un an en avril",
            "La hausse des prix continue de ralentir en France, portée par la baisse des prix de l'énergie, "
            "selon l'Insee.",
            "PARIS (AFP)", "30 avril 2024 09:14",
            ["Les prix à la consommation ont augmenté de 2,3 % sur un an en avril, après 2,4 % en mars, selon "
             "l'estimation provisoire publiée mardi par l'Institut national de la statistique.",
             "Les prix de l'alimentation progressent de 1,2 % sur un an, un rythme nettement plus faible qu'au "
             "début de l'année.",
             "La Banque de France prévoit un retour de l'inflation sous les 2 % d'ici à la fin de l'année."],
            "Un rayon de supermarché à Paris, le 29 avril.", "Un rayon de supermarché"),
    Article("En direct", "Tempête Ciarán : suivez la situation en direct",
            "Plus d'un million de foyers sont privés d'électricité dans l'ouest de la France après le passage de "
            "la tempête.",
            "Par nos équipes en Bretagne", "Direct mis à jour le 2 novembre 2023 à 14h30",
            ["<time>14h20</time> Le ministre de l'Intérieur se rendra à Brest dans l'après-midi.",
             "<time>13h55</time> Les rafales ont atteint 207 km/h à la pointe du Raz, un record depuis 1987.",
             "<time>13h10</time> La SNCF annonce la reprise progressive du trafic entre Rennes et Quimper.",
             "<time>12h40</time> Enedis mobilise trois mille techniciens pour rétablir le courant."],
            "Une vague se brise sur la digue de Saint-Malo, jeudi matin.", "Une vague sur la digue"),
    Article("Sciences", "Une nouvelle espèce de grenouille découverte en Guyane",
            "Des chercheurs du Muséum national d'histoire naturelle ont décrit un amphibien jusqu'ici inconnu, "
            "observé sur un inselberg isolé.",
            "Par Thomas Girard", "Publié le 18 janvier 2024 à 10h00",
            ["La grenouille, longue de deux centimètres à peine, vit exclusivement dans les broméliacées qui "
             "poussent au sommet du massif.",
             "Les scientifiques ont mis trois ans à confirmer qu'il s'agissait d'une espèce nouvelle, grâce à "
             "l'analyse de son ADN et de son chant.",
             "Son aire de répartition très réduite la rend particulièrement vulnérable aux sécheresses."],
            "La nouvelle espèce, photographiée sur l'inselberg en 2021.", "Une petite grenouille brune"),
    Article("Société", "Les bibliothèques rurales face au défi du numérique",
            "Dans les petites communes, les médiathèques deviennent des lieux d'accès aux services publics en "
            "ligne.",
            "Par Élise Fournier", "Publié le 9 octobre 2023",
            ["À Saint-Amand, dans le Cher, la médiathèque accueille chaque mardi une permanence pour aider les "
             "habitants à remplir leurs démarches administratives.",
             "« Les gens viennent pour un livre et repartent avec leur déclaration d'impôts », sourit la "
             "bibliothécaire.",
             "L'État a promis de financer deux mille postes de conseillers numériques supplémentaires d'ici à 2025."],
            "La médiathèque de Saint-Amand, un mardi matin.", "Des lecteurs dans une médiathèque"),
    Article("Tribune", "« L'école doit rester le lieu de l'émancipation »",
            "Face aux réformes successives, un collectif d'enseignants appelle à replacer la transmission des "
            "savoirs au cœur du projet éducatif.",
            "Par Anne Rousseau, professeure de lettres", "Publié le 14 septembre 2023",
            ["Depuis vingt ans, chaque ministre apporte sa réforme, et chaque réforme défait la précédente.",
             "Nous demandons simplement du temps : le temps d'enseigner, le temps d'apprendre, le temps de "
             "comprendre.",
             "<em>Anne Rousseau est professeure de lettres dans un lycée de Seine-Saint-Denis.</em>"],
            "Une salle de classe d'un lycée de Seine-Saint-Denis.", "Une salle de classe"),
    Article("Sport", "Ligue 1 : Lens renverse Marseille au terme d'un match fou",
            "Menés 2-0 à la pause, les Lensois se sont imposés 3-2 grâce à un doublé de leur attaquant en fin "
            "de match.",
            "Par Nicolas Petit, à Lens", "Publié le 20 octobre 2024 à 23h15",
            ["Le stade Bollaert a vécu une seconde période irrespirable. Marseille, supérieur en première "
             "mi-temps, a craqué physiquement.",
             "L'entraîneur lensois a salué « le caractère » de son équipe, qui remonte à la quatrième place du "
             "classement.",
             "Marseille recevra Lyon dimanche prochain au Vélodrome."],
            "L'attaquant lensois célèbre son deuxième but, dimanche soir.", "Un joueur célèbre un but"),
    Article("Région", "Le marché de Noël de Colmar ouvre ses portes",
            "Plus de cent cinquante chalets s'installent dans six lieux de la vieille ville jusqu'au 29 décembre.",
            "Par Marc Weber", "Le 24 novembre 2023",
            ["Les organisateurs attendent plus d'un million et demi de visiteurs cette année.",
             "La municipalité a renforcé les navettes depuis les parkings situés en périphérie de la ville.",
             "Les commerçants misent sur l'artisanat local et les produits du terroir alsacien."],
            "Les chalets de la place des Dominicains, vendredi soir.", "Des chalets illuminés"),
    Article("Environnement", "Sécheresse : quarante départements en alerte renforcée",
            "Les préfets multiplient les restrictions d'usage de l'eau, alors que les nappes phréatiques sont "
            "au plus bas pour la saison.",
            "Par Camille Durand", "Publié le 4 août 2023 à 12h00",
            ["L'arrosage des jardins et le lavage des voitures sont interdits dans la plupart des communes "
             "concernées.",
             "Les agriculteurs demandent des dérogations pour l'irrigation des cultures de maïs.",
             "Météo-France ne prévoit pas de pluies significatives avant la fin du mois."],
            "Le lit asséché d'une rivière dans le Gers, le 2 août.", "Une rivière asséchée"),
]

MENU = ["International", "Politique", "Société", "Économie", "Culture", "Sport", "Sciences", "Monde"]
SHARE = ["Partager sur Facebook", "Partager sur X", "Envoyer par e-mail", "Copier le lien"]
MOST_READ = ["Les députés adoptent le budget de la Sécurité sociale",
             "Le prix du gazole repart à la hausse",
             "Un séisme de magnitude 5 ressenti dans les Pyrénées",
             "Le PSG s'impose difficilement face à Brest",
             "Les soldes d'hiver commencent mercredi"]
FOOTER = ["Mentions légales", "Politique de confidentialité", "Gestion des cookies", "Contactez-nous",
          "Nous rejoindre", "Publicité"]


def _head(a: Article, site: str, extra: str = "") -> Built:
    """A page begun: its head, as the site's template writes it."""
    b = Built()
    b.add(f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{a.title} – {site}</title>
<meta name="description" content="{html.escape(a.lead)}">
<meta property="og:title" content="{html.escape(a.title)}">
<meta property="og:site_name" content="{site}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/site.css">{extra}
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"rubrique": "{a.kicker}"}});</script>
</head>""")
    return b


def _headline(b: Built, a: Article, lead: str, byline: str) -> None:
    """The title, the lead and the byline, in that order, with their classes."""
    b.art("h1", a.title)
    b.art("p", a.lead, f' class="{lead}"')
    b.art("p", a.byline, f' class="{byline}"')


def _body(b: Built, a: Article, *, p: str = "p", h2: str = "h2", caption: bool = True) -> None:
    for para in a.body:
        if para.startswith("## "):
            b.art(h2, para[3:])
        else:
            b.art(p, para)


def _nav(items: list[str], cls: str = "menu") -> str:
    return f'<nav class="{cls}"><ul>' + "".join(f'<li><a href="/{i.lower()}/">{i}</a></li>' for i in items) + \
        "</ul></nav>"


def _share(cls: str = "share") -> str:
    return f'<div class="{cls}"><span>Partager</span>' + "".join(
        f'<a href="#" aria-label="{s}" title="{s}"><svg width="16" height="16"><path d="M0 0h16v16H0z"/></svg></a>'
        for s in SHARE) + "</div>"


def _comment_form() -> str:
    return """<div id="respond" class="comment-respond">
<h3 class="comment-reply-title">Laisser un commentaire</h3>
<form action="/wp-comments-post.php" method="post" id="commentform">
<p class="comment-notes">Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *</p>
<p><label for="comment">Commentaire *</label><textarea id="comment" name="comment"></textarea></p>
<p><label for="author">Nom *</label><input id="author" name="author" type="text"></p>
<p><label for="email">E-mail *</label><input id="email" name="email" type="email" placeholder="vous@exemple.fr"></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Publier le commentaire"></p>
</form></div>"""


def _most_read(title: str = "Les + lus") -> str:
    return f'<aside class="most-read"><h2>{title}</h2><ol>' + "".join(
        f'<li><a href="/article-{i}.html">{t}</a></li>' for i, t in enumerate(MOST_READ)) + "</ol></aside>"


def _footer() -> str:
    return ('<footer class="site-footer"><p>Nous rejoindre sur les réseaux : <a href="#">Facebook</a> · '
            '<a href="#">Instagram</a> · <a href="#">LinkedIn</a></p><ul>'
            + "".join(f'<li><a href="/{i}">{t}</a></li>' for i, t in enumerate(FOOTER))
            + "</ul><p>© 2024 Le Quotidien. Tous droits réservés.</p></footer>")


def national(a: Article) -> str:
    b = _head(a, "Le Quotidien")
    b.add('<body class="article">\n<header class="site-header"><a class="logo" href="/">Le Quotidien</a>'
          '<a class="subscribe" href="/abo">S\'abonner</a><a href="/login">Se connecter</a></header>')
    b.add(_nav(MENU))
    b.add('<main id="main"><article class="article">')
    b.add(f'<p class="kicker"><a href="/{a.kicker.lower()}/">{a.kicker}</a></p>')
    b.art("h1", a.title, ' class="article__title"')
    b.art("p", a.lead, ' class="article__desc"')
    b.add('<div class="meta">')
    b.art("span", a.byline, ' class="author"')
    b.add(f'<time datetime="2024-03-12">{a.date}</time></div>')
    b.add(_share())
    b.add(f'<figure class="article__media"><img src="/img/1.jpg" alt="{a.alt}" width="800" height="450">')
    b.art("figcaption", a.caption)
    b.add("</figure>")
    _body(b, a)
    b.add(f'<p class="lire-aussi"><span>Lire aussi :</span> <a href="/x.html">{MOST_READ[0]}</a></p>')
    b.add('<div class="tags"><span>Sujets :</span> <a href="/t/1">Diplomatie</a> <a href="/t/2">ONU</a></div>')
    b.add("</article>")
    b.add(_most_read())
    b.add('<section class="comments"><h2>Réactions</h2>' + _comment_form() + "</section></main>")
    b.add(_footer() + "\n</body>\n</html>")
    return b


def wordpress(a: Article) -> str:
    b = _head(a, "Le Petit Journal du Sud")
    b.add('<body class="post-template-default single single-post">\n<div id="page" class="site">'
          '<a class="skip-link screen-reader-text" href="#content">Aller au contenu</a>'
          '<header id="masthead" class="site-header"><p class="site-title"><a href="/">Le Petit Journal du Sud</a>'
          '</p><p class="site-description">L\'actualité de votre région</p>'
          '<nav id="site-navigation" class="main-navigation"><button class="menu-toggle">Menu</button>'
          '<ul id="primary-menu" class="menu">' + "".join(f'<li class="menu-item"><a href="/c/{m}">{m}</a></li>'
                                                          for m in MENU[:6]) + "</ul></nav></header>")
    b.add('<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main">'
          '<article class="post type-post"><header class="entry-header">')
    b.art("h1", a.title, ' class="entry-title"')
    b.add('<div class="entry-meta"><span class="posted-on">Publié le <time>12 mars 2024</time></span> ')
    b.art("span", a.byline, ' class="byline"')
    b.add('</div></header><div class="entry-content">')
    b.art("p", f"<strong>{a.lead}</strong>")
    b.add(f'<figure class="wp-block-image"><img src="/wp-content/uploads/a.jpg" alt="{a.alt}">')
    b.art("figcaption", a.caption, ' class="wp-element-caption"')
    b.add("</figure>")
    _body(b, a)
    b.add('<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Partager :</h3><ul>'
          '<li><a class="share-facebook" href="#"><span>Facebook</span></a></li>'
          '<li><a class="share-twitter" href="#"><span>X</span></a></li>'
          '<li><a class="share-email" href="#"><span>E-mail</span></a></li></ul></div>'
          '<div class="sharedaddy sd-like"><h3 class="sd-title">J\'aime ça :</h3><p>J\'aime chargement…</p></div>')
    b.add('</div><footer class="entry-footer"><span class="cat-links">Publié dans <a href="/c/x">'
          f'{a.kicker}</a></span></footer></article>')
    b.add('<nav class="post-navigation"><h2 class="screen-reader-text">Navigation de l\'article</h2>'
          '<div class="nav-previous"><a href="/p">Article précédent</a></div>'
          '<div class="nav-next"><a href="/n">Article suivant</a></div></nav>')
    b.add(_comment_form() + '</main></div><aside id="secondary" class="widget-area">'
          '<section class="widget"><h2 class="widget-title">Articles récents</h2><ul>'
          + "".join(f'<li><a href="/r{i}">{t}</a></li>' for i, t in enumerate(MOST_READ[:3]))
          + '</ul></section><section class="widget"><h2 class="widget-title">Nous rejoindre sur les réseaux</h2>'
          '<p>Suivez-nous sur Facebook et Instagram pour ne rien manquer.</p></section>'
          '<section class="widget"><h2 class="widget-title">Catégories</h2><ul><li><a href="/c/1">Politique</a>'
          '</li><li><a href="/c/2">Société</a></li></ul></section></aside></div>')
    b.add('<footer id="colophon" class="site-footer"><div class="site-info"><a href="https://wordpress.org/">'
          'Fièrement propulsé par WordPress</a></div></footer></div>\n</body>\n</html>')
    return b


def regional(a: Article) -> str:
    b = _head(a, "La Voix du Rhône")
    b.add('<body>\n<div class="cookie-banner" role="dialog"><p>Nous utilisons des cookies pour améliorer votre '
          'expérience et mesurer l\'audience.</p><button>Tout accepter</button><button>Paramétrer</button></div>')
    b.add('<div class="container"><div class="row top"><div class="col-md-12"><a href="/">La Voix du Rhône</a> '
          '<a href="/abonnement" class="btn">Abonnez-vous dès 1 €</a></div></div>')
    b.add('<div class="row"><div class="col-md-12">' + _nav(["Lyon", "Villeurbanne", "Faits divers", "Sport",
                                                                "Loisirs", "Région"], "navbar") + "</div></div>")
    b.add('<div class="row"><div class="col-md-8"><ol class="breadcrumb"><li><a href="/">Accueil</a></li>'
          '<li><a href="/region">Région</a></li><li>Faits divers</li></ol>')
    b.art("h1", a.title)
    b.add('<div class="signature">')
    b.art("div", a.byline, ' class="auteur"')
    b.add(f'<div class="date">{a.date}</div></div>')
    b.art("div", a.lead, ' class="chapo"')
    b.add(f'<div class="photo"><img src="/p.jpg" alt="{a.alt}">')
    b.art("div", a.caption, ' class="legende"')
    b.add("</div>")
    for para in a.body:
        b.art("div", para, ' class="paragraphe"')
    b.add('<div class="paywall"><p>Cet article est réservé aux abonnés.</p><p>Déjà abonné ? '
          '<a href="/login">Connectez-vous</a></p></div>')
    b.add('<div class="a-lire"><h3>À lire aussi</h3><div class="card"><a href="/1">' + MOST_READ[1]
          + '</a></div><div class="card"><a href="/2">' + MOST_READ[2] + "</a></div></div>")
    b.add('</div><div class="col-md-4"><div class="newsletter"><h3>Newsletter</h3><p>Recevez chaque matin '
          'l\'essentiel de l\'actualité de votre département.</p><form><input type="email" '
          'placeholder="Votre adresse e-mail"><input type="submit" value="Je m\'inscris"></form></div>'
          + _most_read("Les plus lus") + "</div></div></div>")
    b.add('<div class="footer"><p>La Voix du Rhône - 12 rue de la République, 69002 Lyon</p><p><a href="/cgu">'
          'Conditions générales</a> | <a href="/contact">Contact</a></p></div>\n</body>\n</html>')
    return b


def magazine(a: Article) -> str:
    b = _head(a, "Regards Magazine")
    b.add('<body>\n<header><div class="brand">Regards</div>' + _nav(["Culture", "Idées", "Voyages", "Portfolio"])
          + '<a href="/recherche" aria-label="Rechercher">🔍</a></header>')
    b.add('<div class="longform"><div class="hero">')
    b.add(f'<span class="rubrique">{a.kicker}</span>')
    b.art("h1", a.title)
    b.art("p", a.lead, ' class="standfirst"')
    b.add("</div>")
    b.art("p", a.byline, ' class="auteur"')
    b.add(f'<p class="date">{a.date}</p><div class="text">')
    for i, para in enumerate(a.body):
        if para.startswith("## "):
            b.art("h2", para[3:])
        else:
            b.art("p", para)
        if i == 1:
            b.add('<blockquote class="pullquote">')
            b.art("p", "« Nous voulons que le visiteur sorte avec une question. »")
            b.add("</blockquote>")
    b.add(f'<figure><img src="/g.jpg" alt="{a.alt}">')
    b.art("figcaption", a.caption)
    b.add("</figure></div>")
    b.add('<div class="author-box"><h4>À propos de l\'auteur</h4><p>Journaliste culture, elle couvre les '
          'festivals de photographie depuis 2010.</p></div>')
    b.add('<section class="related"><h3>Dans la même rubrique</h3><ul><li><a href="/a">Le Louvre prolonge son '
          'exposition Vermeer</a></li><li><a href="/b">Cinq livres pour l\'été</a></li></ul></section></div>')
    b.add('<footer><p>Regards Magazine, le mensuel de la culture.</p><p><a href="/abo">Abonnez-vous</a> · '
          '<a href="/mentions">Mentions légales</a></p></footer>\n</body>\n</html>')
    return b


def agency(a: Article) -> str:
    b = _head(a, "Fil Info")
    b.add('<body>\n<div id="top"><a href="/">Fil Info</a> — <a href="/depeches">Toutes les dépêches</a></div>')
    b.add('<div id="depeche">')
    b.art("h1", a.title)
    b.add(f'<div class="horodatage">{a.date}</div>')
    b.art("p", f"{a.byline} - {a.lead}")
    _body(b, a)
    b.add('</div><div id="pied"><p>© Fil Info. Reproduction interdite sans autorisation.</p></div>\n</body>\n</html>')
    return b


def live(a: Article) -> str:
    b = _head(a, "Le Quotidien")
    b.add('<body>\n<header><a href="/">Le Quotidien</a>' + _nav(MENU[:5]) + "</header>")
    b.add('<main><div class="live-header"><span class="badge">En direct</span>')
    b.art("h1", a.title)
    b.art("p", a.lead, ' class="live-lead"')
    b.add('<button class="refresh">Rafraîchir</button><p class="live-follow">Suivez notre direct, les '
          'informations sont mises à jour en continu.</p></div><div class="live-posts">')
    b.add(f'<div class="byline">{a.byline}</div>')
    b.main.append(visible(a.byline))
    for para in a.body:
        b.add('<div class="post">')
        b.art("p", para)
        b.add("</div>")
    b.add('</div></main><aside><h2>Les + lus</h2><ul>' + "".join(f"<li><a href='/{i}'>{t}</a></li>"
                                                                  for i, t in enumerate(MOST_READ)) + "</ul></aside>")
    b.add(_footer() + "\n</body>\n</html>")
    return b


def portal(a: Article) -> str:
    b = _head(a, "Actu Portail")
    b.add('<body>\n<div class="topbar"><span>En ce moment :</span> <a href="/t1">Présidentielle</a> '
          '<a href="/t2">JO 2024</a> <a href="/t3">Guerre en Ukraine</a></div>')
    b.add('<header><div class="logo">Actu Portail</div>' + _nav(MENU + ["Vidéos", "Podcasts", "Météo"],
                                                                 "mega-menu") + "</header>")
    b.add('<div class="ad">Publicité</div><div class="layout"><div class="main-col"><div class="story">')
    b.art("h1", a.title)
    b.add('<div class="story-meta">')
    b.art("span", a.byline)
    b.add(f' · <span>{a.date}</span> · <span>Temps de lecture : 3 min</span></div>')
    b.art("p", a.lead, ' class="intro"')
    b.add(_share("social"))
    _body(b, a)
    b.add('<div class="ad">Publicité</div><div class="reco"><h3>Vous aimerez aussi</h3><ul>'
          + "".join(f'<li><a href="/v{i}">{t}</a></li>' for i, t in enumerate(MOST_READ[2:])) + "</ul></div>")
    b.add('</div></div><div class="side-col"><div class="videos"><h3>Vidéos</h3><p><a href="/v">Les images '
          'impressionnantes de la tempête</a></p></div>' + _most_read("Les + partagés") + "</div></div>")
    b.add('<footer><div class="cols"><div><h4>Rubriques</h4><ul>' + "".join(f"<li>{m}</li>" for m in MENU)
          + '</ul></div><div><h4>Le groupe</h4><ul><li>Qui sommes-nous ?</li><li>Recrutement</li></ul></div>'
          '</div><p>© Actu Portail 2024</p></footer>\n</body>\n</html>')
    return b


def amp(a: Article) -> str:
    b = _head(a, "Le Quotidien AMP", '\n<style amp-custom>body{font-family:sans-serif}</style>')
    b.add('<body>\n<amp-sidebar id="sidebar" layout="nodisplay"><ul>' + "".join(f"<li><a href='/{m}'>{m}</a></li>"
                                                                              for m in MENU) + "</ul></amp-sidebar>")
    b.add('<header class="amp-header"><button on="tap:sidebar.toggle">Menu</button><a href="/">Le Quotidien</a>'
          '</header><article>')
    _headline(b, a, "desc", "byline")
    b.add(f'<amp-img src="/i.jpg" alt="{a.alt}" width="800" height="450" layout="responsive"></amp-img>')
    b.art("p", a.caption, ' class="caption"')
    _body(b, a)
    b.add('</article><div class="amp-footer"><p><a href="/full">Voir la version complète</a></p>'
          '<p>Nous rejoindre sur les réseaux</p></div>\n</body>\n</html>')
    return b


def opinion(a: Article) -> str:
    b = _head(a, "Débats")
    b.add('<body>\n<header>' + _nav(["Débats", "Tribunes", "Éditoriaux", "Chroniques"]) + "</header>")
    b.add('<main><article class="tribune"><p class="genre">Tribune</p>')
    _headline(b, a, "chapeau", "signataire")
    _body(b, a)
    b.add('</article><div class="react"><a href="#comments">Réagir</a> <span>12 réactions</span></div>'
          '<div class="follow"><p>Suivez-nous sur Facebook, X et Instagram.</p></div>')
    b.add('<div class="newsletter-box"><p>Inscrivez-vous à la newsletter Débats</p><input type="submit" '
          'value="S\'inscrire"></div></main>')
    b.add(_footer() + "\n</body>\n</html>")
    return b


def sport(a: Article) -> str:
    b = _head(a, "Sport Direct")
    b.add('<body>\n<header><div class="logo">Sport Direct</div>' + _nav(["Football", "Rugby", "Tennis", "Cyclisme",
                                                                          "Résultats"]) + "</header>")
    b.add('<div class="scoreboard"><span>Lens 3 - 2 Marseille</span> <span>Lyon 1 - 1 Nice</span> '
          '<a href="/live">Tous les scores</a></div><main><article>')
    _headline(b, a, "chapo", "auteur")
    _body(b, a)
    b.add('<table class="compo"><caption>')
    b.main.append("Les buteurs")
    b.add('Les buteurs</caption><tr>')
    b.art("th", "Équipe")
    b.art("th", "Buteur")
    b.add("</tr><tr>")
    b.art("td", "Marseille")
    b.art("td", "Aubameyang (12e, 38e)")
    b.add("</tr><tr>")
    b.art("td", "Lens")
    b.art("td", "Sotoca (64e), Wahi (85e, 90e+2)")
    b.add("</tr></table></article></main>")
    b.add('<aside class="classement"><h3>Classement</h3><ol><li>Paris SG</li><li>Monaco</li><li>Lille</li>'
          '<li>Lens</li></ol></aside>')
    b.add('<footer><p>Sport Direct - Toute l\'actualité sportive</p><p><a href="/cgu">CGU</a></p></footer>'
          "\n</body>\n</html>")
    return b


def tables(a: Article) -> str:
    b = Built()
    b.add(f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{a.title} - L'Est Républicain</title>
</head>""")
    b.add('<body bgcolor="#ffffff"><table width="980" border="0"><tr><td colspan="2"><font size="5">'
          "<b>L'Est Régional</b></font></td></tr><tr><td width=\"180\" valign=\"top\"><b>Rubriques</b><br>"
          + "<br>".join(f'<a href="/{m}">{m}</a>' for m in ["Accueil", "Alsace", "Lorraine", "Sports", "Annonces"])
          + '</td><td valign="top">')
    b.art("font", f"<b>{a.title}</b>", ' size="4"')
    b.add("<br>")
    b.art("i", a.byline)
    b.add(f" - {a.date}<br><br>")
    b.art("b", a.lead)
    b.add("<br><br>")
    for para in a.body:
        b.art("p", para)
    b.add('<p><a href="/imprimer">Imprimer</a> | <a href="/envoyer">Envoyer à un ami</a></p></td></tr>'
          '<tr><td colspan="2"><center><font size="1">Copyright L\'Est Régional - Tous droits réservés'
          "</font></center></td></tr></table>\n</body>\n</html>")
    return b


def comments(a: Article) -> str:
    b = _head(a, "Info Locale")
    b.add('<body>\n<div id="header"><h2 class="site">Info Locale</h2>' + _nav(MENU[:4]) + "</div>")
    b.add('<div id="content"><div class="post">')
    b.art("h1", a.title)
    b.art("p", a.byline, ' class="post-author"')
    b.art("p", a.lead, ' class="intro"')
    _body(b, a)
    b.add('</div><div id="comments"><h3>3 commentaires</h3><ol class="commentlist">'
          '<li><p class="who">Jean-Pierre</p><p>Enfin une bonne nouvelle pour le commerce local !</p></li>'
          '<li><p class="who">Martine67</p><p>Les navettes sont toujours pleines le samedi, il en faudrait plus.</p>'
          '</li><li><p class="who">Lucas</p><p>Trop de monde, on ne peut plus circuler en centre-ville.</p></li>'
          "</ol>" + _comment_form() + "</div></div>")
    b.add(_footer() + "\n</body>\n</html>")
    return b


LAYOUTS = [national, wordpress, regional, magazine, agency, live, portal, amp, opinion, sport, tables, comments]


def pages() -> list[tuple[str, str, list[str]]]:
    """(name, page, the article's texts) for every layout, each with its own article."""
    out = []
    for layout, article in zip(LAYOUTS, ARTICLES):
        built = layout(article)
        out.append((layout.__name__, built.page, built.main))
    return out


def _article(text: str, main: list[str]) -> bool:
    """Whether a unit is the article's: its text is mostly texts of the article."""
    text = " ".join(text.split())
    return 2 * sum(len(m) for m in main if m and m in text) >= len(text)


def score(extract=None) -> dict:
    """How the article is told apart from the site on every page: boilerplate precision
    (units kept as site that are site) and recall (site units kept), over the text units
    (attributes and the page's head aside), with *extract* (page text -> Extraction;
    default: the one the HTML type uses)."""
    from translator.documents.html import Page
    from translator.documents.html_content import article_ids
    from translator.documents.html_content import extract as default
    from translator.documents.html_tokens import tokenize

    counts = {"site_kept": 0, "article_kept": 0, "site_translated": 0, "article_translated": 0}
    misses = []
    for name, page, main in pages():
        parsed = Page(page, tokenize(page, name=name), name=name)
        candidates = parsed.candidates()
        found = extract(page) if extract else default(page, name=name)
        article = article_ids(candidates, found)
        for c in candidates:
            if c.attribute or c.head:
                continue
            truth = "article" if _article(c.text, main) else "site"
            said = "translated" if c.id in article else "kept"
            counts[f"{truth}_{said}"] += 1
            if (truth == "site") != (said == "kept"):
                misses.append(f"{name}: {truth} {said}: {c.text[:60]}")
    kept = counts["site_kept"] + counts["article_kept"]
    site = counts["site_kept"] + counts["site_translated"]
    return {"pages": len(LAYOUTS), "units": sum(counts.values()), "site_units": site,
            "precision": round(counts["site_kept"] / kept, 3) if kept else 1.0,
            "recall": round(counts["site_kept"] / site, 3) if site else 1.0,
            "article_recall": round(counts["article_translated"] / (sum(counts.values()) - site), 3),
            "misses": misses, **counts}


def text_pages() -> list[tuple[str, list[str], list[bool]]]:
    """The pages as they read once saved as plain text (a paragraph per block of text, as
    a browser's copy or a scraper gives them): (name, paragraphs, whether each is site text)."""
    from translator.documents.html import Page
    from translator.documents.html_tokens import tokenize

    out = []
    for name, page, main in pages():
        parsed = Page(page, tokenize(page, name=name), name=name)
        texts = [" ".join(c.text.split()) for c in parsed.candidates() if not c.attribute and not c.head]
        texts = [t for t in texts if t]
        out.append((name, texts, [not _article(t, main) for t in texts]))
    return out


def text_score(pick=None) -> dict:
    """Boilerplate precision and recall of :func:`translator.site_text.site_paragraphs` on
    :func:`text_pages` (*pick*: which pages, by index; default all)."""
    from translator.site_text import site_paragraphs

    counts = {"site_kept": 0, "article_kept": 0, "site_translated": 0, "article_translated": 0}
    for k, (_, texts, truth) in enumerate(text_pages()):
        if pick is not None and not pick(k):
            continue
        for site, said in zip(truth, site_paragraphs(texts)):
            counts[f"{'site' if site else 'article'}_{'kept' if said else 'translated'}"] += 1
    kept = counts["site_kept"] + counts["article_kept"]
    site = counts["site_kept"] + counts["site_translated"]
    article = counts["article_kept"] + counts["article_translated"]
    return {"paragraphs": sum(counts.values()), "precision": round(counts["site_kept"] / kept, 3),
            "recall": round(counts["site_kept"] / site, 3),
            "article_recall": round(counts["article_translated"] / article, 3), **counts}
