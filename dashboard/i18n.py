"""Interface strings and number formats, French first, English with ``lang=en``."""

from __future__ import annotations

import math

LANGS = ("fr", "en")
NNBSP = "\u202f"  # French groups thousands with a narrow no-break space

STRINGS: dict[str, dict[str, str]] = {
    "title": {"fr": "Atlas de la coopération décentralisée", "en": "Atlas of French decentralised cooperation"},
    "subtitle": {"fr": "Partenariats des collectivités territoriales françaises avec des collectivités étrangères",
                 "en": "Partnerships of French local authorities with foreign local authorities"},
    "demo_banner": {"fr": "Données de démonstration — synthétiques, générées pour illustrer l'outil : "
                          "ce ne sont pas les chiffres réels de l'Atlas.",
                    "en": "Demo data — synthetic, generated to illustrate the tool: these are not the real "
                          "Atlas figures."},
    "footer": {"fr": "Base construite le {date} à partir de {files}. {loaded} partenariats chargés, {rejected} "
                     "enregistrements rejetés. Géométries : {geo}.",
               "en": "Database built on {date} from {files}. {loaded} partnerships loaded, {rejected} records "
                     "rejected. Geometries: {geo}."},
    "kpi_partnerships": {"fr": "partenariats", "en": "partnerships"},
    "kpi_authorities": {"fr": "collectivités françaises", "en": "French authorities"},
    "kpi_countries": {"fr": "pays partenaires", "en": "partner countries"},
    "kpi_budget": {"fr": "budget connu", "en": "known budget"},
    "kpi_budget_note": {"fr": "connu pour {share} des partenariats", "en": "known for {share} of partnerships"},
    "filters": {"fr": "Filtres", "en": "Filters"},
    "f_region": {"fr": "Région (réseau régional)", "en": "Region (regional network)"},
    "f_departement": {"fr": "Département", "en": "Département"},
    "f_rrma": {"fr": "Réseau régional multi-acteurs (RRMA)", "en": "Regional multi-actor network (RRMA)"},
    "f_type": {"fr": "Type de collectivité", "en": "Type of authority"},
    "f_pays": {"fr": "Pays partenaire", "en": "Partner country"},
    "f_zone": {"fr": "Zone", "en": "Zone"},
    "f_theme": {"fr": "Thématique", "en": "Theme"},
    "f_odd": {"fr": "ODD", "en": "SDG"},
    "f_action": {"fr": "Type d'action", "en": "Type of action"},
    "f_years": {"fr": "Année de début", "en": "Start year"},
    "f_from": {"fr": "de", "en": "from"},
    "f_to": {"fr": "à", "en": "to"},
    "f_budget": {"fr": "Budget", "en": "Budget"},
    "budget_all": {"fr": "tous", "en": "all"},
    "budget_known": {"fr": "connu", "en": "known"},
    "budget_unknown": {"fr": "inconnu", "en": "unknown"},
    "all": {"fr": "Tous", "en": "All"},
    "reset": {"fr": "Réinitialiser les filtres", "en": "Reset filters"},
    "copy_link": {"fr": "Copier le lien", "en": "Copy link"},
    "copied": {"fr": "Lien copié", "en": "Link copied"},
    "download_csv": {"fr": "Télécharger les données (CSV)", "en": "Download the data (CSV)"},
    "metric": {"fr": "Mesure", "en": "Measure"},
    "m_partnerships": {"fr": "Nombre de partenariats", "en": "Number of partnerships"},
    "m_authorities": {"fr": "Collectivités françaises distinctes", "en": "Distinct French authorities"},
    "m_budget": {"fr": "Budget connu total", "en": "Total known budget"},
    "map_world": {"fr": "Pays partenaires", "en": "Partner countries"},
    "map_france": {"fr": "Régions françaises", "en": "French regions"},
    "map_hint": {"fr": "Cliquez un pays pour filtrer ; cliquez-le de nouveau pour retirer le filtre.",
                 "en": "Click a country to filter; click it again to remove the filter."},
    "map_hint_fr": {"fr": "Cliquez une région pour filtrer.", "en": "Click a region to filter."},
    "clear_country": {"fr": "Retirer le filtre pays", "en": "Clear country filter"},
    "no_partnership": {"fr": "aucun partenariat", "en": "no partnership"},
    "ch_themes": {"fr": "Partenariats par thématique", "en": "Partnerships by theme"},
    "ch_odd": {"fr": "Partenariats par ODD", "en": "Partnerships by SDG"},
    "ch_budget_dist": {"fr": "Répartition des budgets connus", "en": "Distribution of known budgets"},
    "ch_budget_zone": {"fr": "Budget connu par zone", "en": "Known budget by zone"},
    "ch_years_count": {"fr": "Partenariats par année de début et continent",
                       "en": "Partnerships by start year and continent"},
    "ch_years_budget": {"fr": "Budget connu par année de début et continent",
                        "en": "Known budget by start year and continent"},
    "ch_top_countries": {"fr": "Premiers pays partenaires", "en": "Top partner countries"},
    "ch_top_authorities": {"fr": "Premières collectivités françaises", "en": "Top French authorities"},
    "table": {"fr": "Les partenariats", "en": "The partnerships"},
    "search_table": {"fr": "Rechercher (collectivité, partenaire, intitulé)",
                     "en": "Search (authority, partner, title)"},
    "empty": {"fr": "Aucun partenariat ne correspond à ces filtres.", "en": "No partnership matches these filters."},
    "unknown_budget_share": {"fr": "Budget inconnu pour {share} des partenariats affichés ({n}).",
                             "en": "Budget unknown for {share} of the partnerships shown ({n})."},
    "language": {"fr": "English", "en": "Français"},
    "skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "count": {"fr": "Partenariats", "en": "Partnerships"},
    "budget_eur": {"fr": "Budget (€)", "en": "Budget (€)"},
    "year": {"fr": "Année de début", "en": "Start year"},
    "continent": {"fr": "Continent", "en": "Continent"},
    "other": {"fr": "autres", "en": "others"},
    "unknown": {"fr": "inconnu", "en": "unknown"},
    "nav_home": {"fr": "Tableau de bord", "en": "Dashboard"},
    "nav_monitor": {"fr": "Suivi des rééquilibrages", "en": "Rebalancing monitor"},
    "nav_api": {"fr": "API et données ouvertes", "en": "Open data API"},
    "mon_title": {"fr": "Suivi des rééquilibrages géographiques", "en": "Monitoring geographic rebalancing"},
    "mon_intro": {"fr": "Comment la part d'une zone dans les partenariats actifs et leur budget évolue d'année en "
                        "année, qui y entre et qui en sort.",
                  "en": "How a zone's share of active partnerships and of their budget moves year by year, who "
                        "enters it and who leaves."},
    "mon_zone": {"fr": "Zone suivie", "en": "Monitored zone"},
    "mon_countries": {"fr": "ou pays (remplace la zone)", "en": "or countries (replace the zone)"},
    "mon_years": {"fr": "Années", "en": "Years"},
    "mon_p1": {"fr": "Période 1", "en": "Period 1"},
    "mon_p2": {"fr": "Période 2", "en": "Period 2"},
    "mon_active": {"fr": "partenariats actifs", "en": "active partnerships"},
    "mon_share": {"fr": "part de la zone (%)", "en": "zone's share (%)"},
    "mon_share_hover": {"fr": "des partenariats actifs sont dans la zone", "en": "of active partnerships are in "
                                                                               "the zone"},
    "mon_budget": {"fr": "budget connu des partenariats actifs", "en": "known budget of active partnerships"},
    "mon_budget_share": {"fr": "part du budget connu (%)", "en": "share of known budget (%)"},
    "mon_budget_share_hover": {"fr": "du budget connu des partenariats actifs", "en": "of the known budget of "
                                                                                   "active partnerships"},
    "mon_entries": {"fr": "entrées", "en": "entries"},
    "mon_exits": {"fr": "sorties", "en": "exits"},
    "mon_points": {"fr": "évolution de la part (points)", "en": "change of share (points)"},
    "mon_ch_share": {"fr": "Partenariats actifs dans la zone et part du total", "en": "Active partnerships in the "
                                                                                     "zone and share of all"},
    "mon_ch_budget": {"fr": "Budget connu dans la zone et part du total", "en": "Known budget in the zone and "
                                                                               "share of all"},
    "mon_ch_flows": {"fr": "Entrées et sorties de partenariats", "en": "Partnerships entering and leaving"},
    "mon_ch_periods": {"fr": "Évolution de la part de chaque zone entre les deux périodes",
                       "en": "Change of each zone's share between the two periods"},
    "mon_regions": {"fr": "Régions françaises qui font le changement", "en": "French regions driving the change"},
    "mon_movers": {"fr": "Collectivités françaises entrées dans la zone ou sorties", "en": "French authorities that "
                                                                                         "entered or left the zone"},
    "mon_entered": {"fr": "entrée", "en": "entered"},
    "mon_left": {"fr": "dernière année active", "en": "last active year"},
    "mon_definitions": {"fr": "Définitions", "en": "Definitions"},
    "def_active": {"fr": "Actif l'année A : commencé en A ou avant, et pas fini avant A (année de fin ; sans année "
                         "de fin, actif jusqu'à aujourd'hui si en cours, en projet ou sans statut, et seulement "
                         "l'année de début si terminé ou suspendu). Sans année de début : exclu des séries.",
                   "en": "Active in year Y: started in or before Y and not ended before Y (end year; with no end "
                         "year, active until today if ongoing, planned or without status, and in its start year "
                         "only if ended or suspended). Without a start year: left out of the series."},
    "def_entries": {"fr": "Entrée : partenariat dont l'année de début est A.", "en": "Entry: a partnership "
                                                                                    "starting in Y."},
    "def_exits": {"fr": "Sortie : partenariat dont la dernière année active est A (avant l'année en cours).",
                  "en": "Exit: a partnership whose last active year is Y (before the current year)."},
    "def_share": {"fr": "Part : partenariats actifs dans la zone ÷ tous les partenariats actifs (mêmes filtres).",
                  "en": "Share: active partnerships in the zone ÷ all active partnerships (same filters)."},
    "def_periods": {"fr": "Période : partenariats actifs au moins une année de la période.",
                    "en": "Period: partnerships active at least one year of the period."},
    "col_region": {"fr": "Région", "en": "Region"},
    "nav_data": {"fr": "Les données", "en": "The data"},
    "search_label": {"fr": "Rechercher une collectivité, un partenaire ou un pays",
                     "en": "Search an authority, a partner or a country"},
    "search_button": {"fr": "Rechercher", "en": "Search"},
    "search_title": {"fr": "Recherche", "en": "Search"},
    "search_help": {"fr": "Tapez le nom d'une collectivité française, d'une collectivité partenaire ou d'un pays ; "
                          "les accents et les fautes de frappe légères sont tolérés.",
                    "en": "Type the name of a French authority, a partner authority or a country; accents and "
                          "small typos are tolerated."},
    "search_count": {"fr": "{n} résultats pour « {q} »", "en": "{n} results for “{q}”"},
    "search_none": {"fr": "Aucun résultat.", "en": "No result."},
    "kind_authority": {"fr": "collectivité française", "en": "French authority"},
    "kind_partner": {"fr": "collectivité partenaire", "en": "partner authority"},
    "kind_country": {"fr": "pays", "en": "country"},
    "col_partner": {"fr": "Partenaire", "en": "Partner"},
    "col_title": {"fr": "Intitulé", "en": "Title"},
    "who_else": {"fr": "Qui d'autre travaille avec ses partenaires ?", "en": "Who else works with its partners?"},
    "who_else_none": {"fr": "Aucune autre collectivité française avec les mêmes partenaires.",
                      "en": "No other French authority with the same partners."},
    "same_theme": {"fr": "Dans les mêmes pays, sur les mêmes thématiques", "en": "In the same countries, on the "
                                                                               "same themes"},
    "partners_of_country": {"fr": "Collectivités partenaires et collectivités françaises qui travaillent avec elles",
                            "en": "Partner authorities and the French authorities working with them"},
    "open_dashboard": {"fr": "Ouvrir dans le tableau de bord", "en": "Open in the dashboard"},
    "not_found": {"fr": "Page introuvable", "en": "Page not found"},
    "type_commune": {"fr": "Commune", "en": "Municipality"},
    "type_departement": {"fr": "Département", "en": "Département"},
    "type_region": {"fr": "Région", "en": "Region"},
    "type_epci": {"fr": "Intercommunalité", "en": "Inter-municipality"},
    "type_metropole": {"fr": "Métropole", "en": "Metropolis"},
    "type_syndicat_mixte": {"fr": "Syndicat", "en": "Syndicate"},
    "type_autre": {"fr": "Autre", "en": "Other"},
    "rank_value": {"fr": "{rank} / 18", "en": "{rank} of 18"},
    "rank_label": {"fr": "rang des régions (partenariats)", "en": "rank among regions (partnerships)"},
    "per_100k": {"fr": "partenariats pour 100 000 habitants", "en": "partnerships per 100,000 inhabitants"},
    "population": {"fr": "{n} habitants", "en": "{n} inhabitants"},
    "rrma_label": {"fr": "Réseau régional", "en": "Regional network"},
    "region_authorities": {"fr": "Les collectivités de la région et ce qu'elles font", "en": "The region's "
                                                                                          "authorities and what "
                                                                                          "they do"},
    "export_png": {"fr": "Diapositive 16:9 (PNG)", "en": "16:9 slide (PNG)"},
    "export_pdf": {"fr": "Page A4 (PDF)", "en": "A4 page (PDF)"},
    "region_slide_title": {"fr": "{name} : l'action internationale des collectivités",
                           "en": "{name}: the international action of local authorities"},
    "slide_date": {"fr": "Situation au {date}", "en": "As of {date}"},
    "source_line": {"fr": "Source : Atlas français de la coopération décentralisée (CNCD), base du {date} "
                          "({files}) — coopatlas",
                    "en": "Source: French Atlas of decentralised cooperation (CNCD), database of {date} ({files}) "
                          "— coopatlas"},
    "region_link": {"fr": "Fiche de la région", "en": "Region page"},
    "embed": {"fr": "Intégrer", "en": "Embed"},
    "embed_help": {"fr": "Code à coller dans une page web : ce graphique, avec les filtres actuels et la source.",
                   "en": "Code to paste in a web page: this chart, with the current filters and the source."},
    "embed_source": {"fr": "Source : Atlas de la coopération décentralisée (CNCD), base du {date} — voir la vue "
                           "complète", "en": "Source: Atlas of French decentralised cooperation (CNCD), database "
                                             "of {date} — see the full view"},
    "data_title": {"fr": "D'où viennent les chiffres", "en": "Where the figures come from"},
    "data_intro": {"fr": "Base construite le {date} : {read} enregistrements lus, {loaded} partenariats chargés, "
                         "{rejected} enregistrements rejetés (chacun avec son motif).",
                   "en": "Database built on {date}: {read} records read, {loaded} partnerships loaded, {rejected} "
                         "records rejected (each with its reason)."},
    "data_inputs": {"fr": "Fichiers sources", "en": "Source files"},
    "data_file": {"fr": "Fichier", "en": "File"},
    "data_records": {"fr": "Enregistrements", "en": "Records"},
    "data_loaded": {"fr": "Chargés", "en": "Loaded"},
    "data_rejected": {"fr": "Rejetés", "en": "Rejected"},
    "data_encoding": {"fr": "Encodage, séparateur", "en": "Encoding, separator"},
    "data_reasons": {"fr": "Motifs de rejet", "en": "Reasons for rejection"},
    "data_reason": {"fr": "Motif", "en": "Reason"},
    "data_count": {"fr": "Nombre", "en": "Count"},
    "data_none": {"fr": "aucun rejet", "en": "no rejection"},
    "data_coverage": {"fr": "Complétude des fiches par région", "en": "Completeness of the records by region"},
    "data_with_budget": {"fr": "avec budget", "en": "with budget"},
    "data_with_odd": {"fr": "avec ODD", "en": "with SDG"},
    "data_with_themes": {"fr": "avec thématique", "en": "with theme"},
    "data_with_start": {"fr": "avec année de début", "en": "with start year"},
    "data_api": {"fr": "Toutes les données sont aussi disponibles par l'API :", "en": "All the data is also "
                                                                                     "available through the API:"},
    "col_authority": {"fr": "Collectivité", "en": "Authority"},
}

DROPDOWN_LABELS = {
    "fr": {"select_all": "Tout sélectionner", "deselect_all": "Tout désélectionner",
           "selected_count": "{num_selected} sélectionnés", "search": "Rechercher", "clear_search": "Effacer",
           "clear_selection": "Retirer la sélection", "no_options_found": "Aucun choix ne correspond"},
    "en": {"select_all": "Select all", "deselect_all": "Deselect all", "selected_count": "{num_selected} selected",
           "search": "Search", "clear_search": "Clear search", "clear_selection": "Clear selection",
           "no_options_found": "No options found"},
}

CONTINENTS = {
    "afrique": {"fr": "Afrique", "en": "Africa"}, "europe": {"fr": "Europe", "en": "Europe"},
    "asie": {"fr": "Asie", "en": "Asia"}, "ameriques": {"fr": "Amériques", "en": "Americas"},
    "oceanie": {"fr": "Océanie", "en": "Oceania"}, "antarctique": {"fr": "Antarctique", "en": "Antarctica"},
}

def t(key: str, lang: str = "fr", **kwargs) -> str:
    text = STRINGS[key].get(lang) or STRINGS[key]["fr"]
    return text.format(**kwargs) if kwargs else text


def number(value: float | int | None, lang: str = "fr", decimals: int = 0) -> str:
    """``12 345`` (narrow no-break space) in French, ``12,345`` in English; ``—`` for unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def euros(value: float | None, lang: str = "fr") -> str:
    """Short amounts: ``1,2 M€`` / ``€1.2M``, ``250 k€``, ``8 500 €``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    for threshold, unit, unit_fr, unit_en in ((1e9, 1e9, "Md€", "bn"), (1e6, 1e6, "M€", "M"), (1e4, 1e3, "k€", "k")):
        if abs(value) >= threshold:
            scaled = value / unit
            text = number(scaled, lang, 1 if abs(scaled) < 100 and scaled % 1 else 0)
            return f"{text}{NNBSP}{unit_fr}" if lang == "fr" else f"€{text}{unit_en}"
    return f"{number(value, lang)}{NNBSP}€" if lang == "fr" else f"€{number(value, lang)}"


def percent(share: float | None, lang: str = "fr") -> str:
    if share is None:
        return "—"
    return f"{number(100 * share, lang, 0)}{NNBSP}%" if lang == "fr" else f"{100 * share:.0f}%"


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark then thousands separator."""
    return "," + NNBSP if lang == "fr" else ".,"
