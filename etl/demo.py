"""The demo export: a seeded, clearly labelled synthetic Atlas export, calibrated on published figures.

It is written in the Atlas export format and built through the very same path as a real export. Authorities are
real French authorities from the COG; partners are invented names; figures follow the published orders of
magnitude (``../shared/domain/README.md``): about 12,000 projects, 4,800 French authorities, 140 countries,
Africa ≈ 73 % of decentralised cooperations with Mali, Burkina Faso, Sénégal and Maroc ahead, budgets with many
unknowns and a median near 50 k€, years since the 1950s. A few deliberately bad records exercise the rejections.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

from etl.vocab import odd_labels, theme_odds, themes
from geo import cog

HEADER = ["Identifiant", "Intitulé", "Collectivité française", "Type de collectivité", "Code INSEE",
          "Département", "Région", "Pays", "Collectivité partenaire", "Thématiques", "ODD", "Type d'action",
          "Année de début", "Année de fin", "Budget (€)", "Financements", "Statut"]

# Relative weights of partner countries (name as an export would write it, weight). Africa carries ≈ 73 %.
AFRICA = {
    "Mali": 100, "Burkina Faso": 98, "Sénégal": 92, "Maroc": 95, "Madagascar": 70, "Niger": 45, "Bénin": 55,
    "Tunisie": 50, "Cameroun": 40, "Togo": 38, "Mauritanie": 30, "Algérie": 28, "Côte d'Ivoire": 32,
    "Guinée": 18, "Tchad": 14, "Haïti": 0, "République démocratique du Congo": 14, "Congo": 10, "Gabon": 9,
    "Comores": 12, "Cap-Vert": 8, "Rwanda": 8, "Burundi": 7, "Ghana": 6, "Nigéria": 5, "Éthiopie": 6,
    "Kenya": 6, "Afrique du Sud": 9, "Mozambique": 7, "Égypte": 6, "Centrafrique": 5, "Djibouti": 4,
    "Guinée-Bissau": 4, "Gambie": 4, "Maurice": 4, "Seychelles": 2, "Sao Tomé-et-Principe": 2, "Libye": 2,
    "Ouganda": 3, "Tanzanie": 3, "Zimbabwe": 2, "Namibie": 2, "Angola": 2, "Liberia": 2, "Sierra Leone": 2,
    "Soudan": 1, "Zambie": 1, "Malawi": 1, "Botswana": 1, "Guinée équatoriale": 1, "Eswatini": 1, "Lesotho": 1,
    "Érythrée": 1, "Somalie": 1, "Soudan du Sud": 1,
}
REST = {
    "Allemagne": 34, "Italie": 16, "Espagne": 12, "Pologne": 12, "Roumanie": 11, "Royaume-Uni": 10,
    "Belgique": 6, "Portugal": 7, "Hongrie": 4, "République tchèque": 4, "Arménie": 6, "Ukraine": 4,
    "Moldavie": 3, "Grèce": 3, "Irlande": 3, "Autriche": 2, "Suisse": 2, "Lituanie": 2, "Bulgarie": 3,
    "Croatie": 2, "Serbie": 2, "Macédoine du Nord": 2, "Albanie": 2, "Géorgie": 2, "Russie": 2, "Kosovo": 1,
    "Liban": 14, "Territoires palestiniens": 10, "Israël": 3, "Jordanie": 2, "Turquie": 3, "Irak": 1,
    "Viêt Nam": 14, "Chine": 10, "Japon": 9, "Cambodge": 8, "Laos": 6, "Inde": 5, "Corée du Sud": 3,
    "Mongolie": 1, "Thaïlande": 2, "Indonésie": 1, "Philippines": 1, "Népal": 2, "Afghanistan": 1,
    "Bangladesh": 1, "Sri Lanka": 1, "Ouzbékistan": 1, "Kazakhstan": 1, "Haïti": 16, "Québec (Canada)": 8,
    "États-Unis": 7, "Brésil": 6, "Chili": 4, "Argentine": 3, "Mexique": 5, "Pérou": 3, "Bolivie": 3,
    "Colombie": 3, "Cuba": 3, "Nicaragua": 3, "Équateur": 1, "Uruguay": 1, "Paraguay": 1, "Guatemala": 1,
    "Dominique": 1, "Sainte-Lucie": 1, "Suriname": 1, "Vanuatu": 1, "Fidji": 1, "Australie": 1,
    "Canada": 2, "Norvège": 1, "Suède": 1, "Danemark": 1, "Finlande": 1, "Pays-Bas": 2, "Luxembourg": 1,
    "Slovaquie": 1, "Slovénie": 1, "Estonie": 1, "Lettonie": 1, "Monténégro": 1, "Bosnie-Herzégovine": 1,
    "Azerbaïdjan": 1, "Émirats arabes unis": 1, "Arabie saoudite": 1,
    "Syrie": 1, "Yémen": 1, "Pakistan": 1, "Malaisie": 1, "Singapour": 1, "Birmanie": 1, "Taïwan": 1,
    "Costa Rica": 1, "Honduras": 1, "Salvador": 1, "Panama": 1, "Venezuela": 1, "République dominicaine": 1,
    "Jamaïque": 1, "Trinité-et-Tobago": 1, "Nouvelle-Zélande": 1, "Papouasie-Nouvelle-Guinée": 1,
}
# Other spellings an export really carries, used now and then.
VARIANTS = {"République démocratique du Congo": ["RDC", "RD Congo"], "Viêt Nam": ["Vietnam", "Viet-Nam"],
            "Cap-Vert": ["Cabo Verde"], "Burkina Faso": ["Burkina-Faso", "BURKINA FASO"], "Sénégal": ["Senegal"],
            "États-Unis": ["Etats-Unis d'Amérique", "USA"], "Corée du Sud": ["Corée du sud"],
            "Côte d'Ivoire": ["Côte d’Ivoire", "Cote d'Ivoire"], "Maroc": ["MAROC", "Maroc "],
            "Territoires palestiniens": ["Palestine"]}
SAHEL = {"Mali", "Burkina Faso", "Niger", "Tchad", "Mauritanie"}
EUROPE = {"Allemagne", "Italie", "Espagne", "Pologne", "Roumanie", "Royaume-Uni", "Belgique", "Portugal", "Hongrie",
          "République tchèque", "Irlande", "Autriche", "Suisse", "Lituanie", "Bulgarie", "Croatie", "Grèce"}
THEME_WEIGHTS = {"EAU": 14, "AGRI": 10, "EDUC": 12, "SANTE": 9, "GOUV": 12, "CULTURE": 13, "ECO": 8,
                 "JEUNESSE": 9, "ENERGIE": 5, "DECHETS": 4, "CLIMAT": 6, "VILLE": 5, "GENRE": 3, "URGENCE": 4,
                 "TOURISME": 3, "PATRIMOINE": 4, "NUMERIQUE": 2, "SOCIAL": 3, "SPORT": 2, "FRANCO": 2}
FUNDING = ["Budget propre", "DAECT AAP", "FICOL (AFD)", "1 % eau (Oudin-Santini)", "Agence de l'eau",
           "Union européenne", "Région", "1 % énergie", "Fonds bilatéral"]
SYLLABLES = ["ba", "ko", "ma", "ni", "se", "dou", "ga", "ti", "lo", "ra", "fa", "ke", "bou", "di", "na", "mo",
             "sa", "to", "za", "ya", "ha", "ou", "lé", "mi", "ri", "ka", "té", "go", "ndi", "fo"]


def _partner_name(rng: random.Random, country: str, used: set[str]) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    while word in used:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()
    used.add(word)
    if country in EUROPE or country in ("Québec (Canada)", "États-Unis", "Japon", "Corée du Sud", "Chine"):
        kind = rng.choice(["Ville de", "Ville de", "Province de", "Région de"])
    else:
        kind = rng.choice(["Commune de", "Commune de", "Commune rurale de", "Région de", "Département de"])
    return f"{kind} {word} (démo)"


def _budget_text(rng: random.Random, amount: float | None) -> str:
    if amount is None:
        return rng.choice(["", "", "N/C", "NC", "non communiqué"])
    style = rng.random()
    if amount >= 1e6 and style < 0.3:
        return f"{amount / 1e6:.1f} M€".replace(".", ",")
    if amount >= 1e4 and style < 0.15:
        return f"{round(amount / 1e3):d} k€"
    if style < 0.55:
        return f"{round(amount):,d} €".replace(",", "\u202f")
    if style < 0.8:
        return f"{round(amount):,d}".replace(",", " ")
    return f"{round(amount)}"


def _odd_text(rng: random.Random, odds: list[int]) -> str:
    if not odds:
        return ""
    style = rng.random()
    if style < 0.4:
        return ", ".join(map(str, odds))
    if style < 0.7:
        return " ; ".join(f"ODD {n}" for n in odds)
    if style < 0.85:
        return " / ".join(f"ODD{n}" for n in odds)
    labels = odd_labels()
    return " | ".join(f"{n} - {labels[n][0]}" for n in odds)


def _authorities(rng: random.Random) -> list[dict]:
    """About 4,800 real French authorities, with how many projects each carries."""
    regions = cog.regions()
    deps = cog.departements()
    communes = cog.communes()
    communes = communes[communes["kind"] == "COM"]
    epcis = cog.epcis()
    epci_dep = communes.groupby("epci_siren")["departement_code"].agg(lambda s: s.mode().iloc[0])
    out = []
    for r in regions.itertuples(index=False):
        out.append(dict(name=f"Région {r.name}", type="Région", code=r.code, dep="", reg=r.code,
                        n=rng.randint(15, 60) if int(r.code) > 10 else rng.randint(3, 12)))
    for d in deps.sample(n=88, random_state=rng.randint(0, 10**6)).itertuples(index=False):
        out.append(dict(name=f"Département {d.name}", type="Conseil départemental", code=d.code, dep="",
                        reg="", n=rng.randint(4, 25)))
    me = epcis[epcis["kind"] == "ME"]
    others = epcis[epcis["kind"] != "ME"].sample(n=330, random_state=rng.randint(0, 10**6))
    for e in [*me.itertuples(index=False), *others.itertuples(index=False)]:
        metro = e.kind == "ME"
        out.append(dict(name=e.name, type="Métropole" if metro else "EPCI", code=e.siren, dep=epci_dep.get(e.siren, ""),
                        reg="", n=rng.randint(8, 40) if metro else rng.randint(1, 4)))
    # Weighted sampling without replacement (Efraimidis–Spirakis): larger towns are likelier to cooperate.
    weights = communes["population"].clip(lower=50).to_numpy() ** 0.75
    keys = [rng.random() ** (1.0 / w) for w in weights]
    picked = communes.iloc[sorted(range(len(keys)), key=keys.__getitem__)[-4300:]]
    for c in picked.itertuples(index=False):
        n = 1 + int(rng.paretovariate(2.2)) if c.population < 50_000 else rng.randint(4, 30)
        out.append(dict(name=rng.choice(["Ville de ", "Commune de ", "", ""]) + c.name, type="Commune",
                        code=c.code, dep=c.departement_code, reg="", n=min(n, 12) if c.population < 50_000 else n))
    for d in deps.sample(n=40, random_state=rng.randint(0, 10**6)).itertuples(index=False):
        out.append(dict(name=f"Syndicat des eaux de {d.name}", type="Syndicat mixte", code="", dep=d.code,
                        reg="", n=rng.randint(1, 5)))
    return out


def generate(path: str | Path, seed: int = 2009, target: int = 12_000) -> int:
    """Write the demo export to ``path`` (UTF-8 with BOM, ``;``); returns the number of records written."""
    rng = random.Random(seed)
    authorities = _authorities(rng)
    scale = target / sum(a["n"] for a in authorities)
    countries = {**{k: v for k, v in AFRICA.items() if v}, **{k: v for k, v in REST.items() if v}}
    africa_total, rest_total = sum(AFRICA.values()), sum(REST.values())
    # Africa ≈ 73 % of cooperations: rescale Africa's weights against the rest.
    cweights = {k: (v * 0.73 / africa_total if k in AFRICA else v * 0.27 / rest_total) for k, v in countries.items()}
    names, cw = list(cweights), list(cweights.values())
    elsewhere_in_africa = [n for n in names if n in AFRICA and n not in SAHEL]
    elsewhere_weights = [cweights[n] for n in elsewhere_in_africa]
    pools: dict[str, list[str]] = {}
    used_names: set[str] = set()
    theme_codes, tw = list(THEME_WEIGHTS), list(THEME_WEIGHTS.values())
    labels = {t.code: t.label_fr for t in themes()}
    odds_of = theme_odds()
    rows: list[list[str]] = []
    for a in authorities:
        for _ in range(max(1, round(a["n"] * scale * rng.uniform(0.8, 1.2)))):
            country = rng.choices(names, cw)[0]
            start_hint = min(2025, int(rng.triangular(1985, 2026, 2016)))
            if country in SAHEL and start_hint >= 2013 and rng.random() < 0.45:
                # the published drift away from the Sahel after 2012 (Mali: 6.1 M€ in 2011, 4.0 M€ in 2014)
                country = rng.choices(elsewhere_in_africa, elsewhere_weights)[0]
            pool = pools.setdefault(country, [])
            if not pool or rng.random() < 0.81:  # the Atlas counts ≈ 9,900 partners for ≈ 12,000 projects
                pool.append(_partner_name(rng, country, used_names))
                partner = pool[-1]
            else:
                partner = rng.choice(pool)
            europe = country in EUROPE
            twinning = europe and rng.random() < 0.7
            start = rng.randint(1955, 2000) if twinning else start_hint
            end = None if twinning or rng.random() < 0.45 else min(start + rng.randint(1, 8), 2030)
            chosen = sorted(set(rng.choices(theme_codes, tw, k=rng.choice([1, 1, 2, 2, 3]))))
            odds = sorted({n for t in chosen for n in odds_of[t][:2]}) if rng.random() < 0.7 else []
            known = rng.random() < 0.62
            amount = round(math.exp(rng.gauss(math.log(50_000), 1.35)) / 100) * 100 if known else None
            shown = rng.choice(VARIANTS[country]) if country in VARIANTS and rng.random() < 0.3 else country
            kind = "Jumelage" if twinning else rng.choices(
                ["Coopération décentralisée", "Action ponctuelle", "Aide d'urgence", "Mobilité des jeunes",
                 "ECSI", ""], [60, 15, 5, 8, 5, 7])[0]
            status = "" if rng.random() < 0.2 else ("Terminé" if end and end < 2026 else "En cours")
            ident = a["code"] if rng.random() < 0.85 else ""
            dep = a["dep"] if (not ident or rng.random() < 0.5) else ""
            rows.append([
                "", f"{', '.join(labels[t] for t in chosen)} — {partner.replace(' (démo)', '')}",
                a["name"], a["type"], ident, dep, a["reg"], shown, partner,
                " ; ".join(labels[t] for t in chosen), _odd_text(rng, odds), kind, str(start),
                str(end) if end else "", _budget_text(rng, amount),
                ", ".join(rng.sample(FUNDING, rng.randint(1, 2))) if rng.random() < 0.6 else "", status,
            ])
    rng.shuffle(rows)
    for i, row in enumerate(rows, start=1):
        row[0] = f"DEMO-{i:05d}"
    rows += _messy_rows(len(rows))
    with Path(path).open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        w.writerow(HEADER)
        w.writerows(rows)
    return len(rows)


def _messy_rows(n: int) -> list[list[str]]:
    """Deliberately bad records, each rejected for a reason the ETL must state."""
    base = ["", "Projet démo à rejeter", "Ville de Lyon", "Commune", "69123", "", "", "Mali", "Commune de Démo (démo)",
            "Eau et assainissement", "6", "Coopération décentralisée", "2015", "2018", "10 000 €", "", "Terminé"]

    def bad(i: int, **changes: str) -> list[str]:
        row = list(base)
        row[0] = f"DEMO-X{i:02d}"
        for k, v in changes.items():
            row[HEADER.index(k.replace("_", " "))] = v
        return row

    return [
        bad(1, Pays="Atlantide"),
        bad(2, Pays=""),
        bad(3, Pays="France"),
        bad(4, **{"Collectivité française": "Saint-Denis", "Code INSEE": "", "Type de collectivité": ""}),
        bad(5, **{"Collectivité française": "", "Code INSEE": ""}),
        bad(6, ODD="ODD 18"),
        bad(7, **{"Budget (€)": "-5 000 €"}),
        bad(8, **{"Budget (€)": "beaucoup"}),
        bad(9, **{"Année de début": "1850"}),
        bad(10, **{"Année de début": "2020", "Année de fin": "2012"}),
        bad(11, **{"Code INSEE": "99999"}),
        [f"DEMO-{n // 2:05d}", *base[1:]],  # repeats an identifier already used
    ]
