"""The ``coopatlas`` command: build, check, demo, diff, serve."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from etl.diff import DiffError
from etl.editions import UnknownEdition
from etl.normalise.text import printable
from etl.read import UnreadableInput
from etl.target import UnwritableTarget


def _say(text: str, out=None) -> None:
    """Every line the command prints: what comes from a file (headers, cells, file names) is escaped."""
    print(printable(text), file=out or sys.stdout)


def _summary(result, out=None, verbose_rejects: int = 20) -> None:
    read = result.loaded + result.rejected_count
    for f in result.files:
        sep = {"\t": "tabulation", None: "—"}.get(f.delimiter, f.delimiter)
        _say(f"  {f.source_file} : {f.records} enregistrements (encodage {f.encoding}, séparateur {sep}), "
             f"{f.loaded} chargés, {f.rejected} rejetés" + (f", {f.blank_rows} lignes vides ignorées"
                                                            if f.blank_rows else ""), out)
    for w in result.warnings:
        _say(f"  avertissement : {w}", out)
    _say(f"Lus : {read} · chargés : {result.loaded} · rejetés : {result.rejected_count}", out)
    if result.rejected_count:
        _say("Motifs de rejet (un enregistrement peut en cumuler plusieurs) :", out)
        for reason, n in result.reasons.most_common():
            _say(f"  {n:>6} × {reason}", out)
        _say("Premiers rejets (fichier, ligne : motif) :", out)
        for source_file, row, reason in result.sample[:verbose_rejects]:
            _say(f"  {source_file}, ligne {row} : {reason}", out)


def cmd_build(args) -> int:
    from etl.load import build
    from etl.settings import Settings

    report = build(args.input, args.db, source_kind=args.source_kind, progress=not args.quiet,
                   keep_editions=Settings.from_env().editions_keep)
    _summary(report.result)
    _say(f"Base écrite : {report.db_path}")
    if report.edition:
        _say(f"Édition conservée : {report.edition}")
    if report.edition_problem:
        _say(f"  avertissement : {report.edition_problem}")
    return 0


CHANGE_WORDS = {"added": "ajoutés", "removed": "retirés", "changed": "modifiés", "ended": "dont terminés"}


def cmd_diff(args) -> int:
    """What changed between two editions, from the same queries as the "Nouveautés" page."""
    from etl.diff import DIMENSIONS, Comparison
    from etl.editions import resolve
    from etl.settings import Settings

    db = args.db or Settings.from_env().db
    old, new = resolve(args.old, db), resolve(args.new, db)
    comparison = Comparison(old, new)
    try:
        _say(f"De {old} ({comparison.old.built_at:%Y-%m-%d}, {comparison.old.loaded} partenariats) "
             f"à {new} ({comparison.new.built_at:%Y-%m-%d}, {comparison.new.loaded} partenariats)")
        totals = comparison.totals()
        _say("Partenariats : " + " · ".join(f"{CHANGE_WORDS[k]} : {v}" for k, v in totals.items()))
        fields = comparison.fields()
        if len(fields):
            _say("Champs modifiés :")
            for field, n in fields.itertuples(index=False):
                _say(f"  {n:>6} × {field}")
        for dimension in DIMENSIONS:
            table = comparison.by(dimension)
            if not len(table):
                continue
            _say(f"Par {ON_WORDS[dimension]} (ajoutés, retirés, modifiés, dont terminés) :")
            for row in table.itertuples(index=False):
                _say(f"  {row.key} {row.label or ''} : {row.added}, {row.removed}, {row.changed}, {row.ended}")
        if args.csv:
            comparison.rows().to_csv(args.csv, index=False)
            _say(f"Différences ligne à ligne écrites : {args.csv}")
    finally:
        comparison.close()
    return 0


ON_WORDS = {"region": "région", "country": "pays", "theme": "thématique"}


def cmd_check(args) -> int:
    from etl.load import transform_files

    _tables, result = transform_files([Path(p) for p in args.input], progress=not args.quiet)
    _summary(result, verbose_rejects=args.show)
    print("(vérification seule : rien n'a été écrit)")
    return 0


def cmd_demo(args) -> int:
    from etl.demo import generate
    from etl.load import build

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(args.export) if args.export else Path(tmp) / "atlas-demo.csv"
        n = generate(export, seed=args.seed)
        _say(f"Export de démonstration : {n} enregistrements ({export})")
        report = build([export], args.db, source_kind="demo", progress=not args.quiet)
    _summary(report.result, verbose_rejects=5)
    _say(f"Base de démonstration écrite : {report.db_path}")
    return 0


def cmd_serve(args) -> int:
    from dashboard.production import serve

    return serve(args.db, host=args.host, port=args.port, debug=args.debug, workers=args.workers,
                 threads=args.threads)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="coopatlas", description="Atlas de la coopération décentralisée → DuckDB → tableau de bord."
    )
    sub = p.add_subparsers(dest="verb", required=True)
    b = sub.add_parser("build", help="construire la base à partir d'exports de l'Atlas (CSV ou XLSX)")
    b.add_argument("--input", action="append", required=True, help="fichier d'export (répétable)")
    b.add_argument("--db", required=True, help="chemin de la base DuckDB à écrire")
    b.add_argument("--source-kind", default="import", choices=["import", "demo"], help=argparse.SUPPRESS)
    b.add_argument("--quiet", action="store_true", help="sans barre de progression")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="lire et vérifier des exports sans rien écrire")
    c.add_argument("--input", action="append", required=True)
    c.add_argument("--show", type=int, default=50, help="nombre de rejets détaillés à afficher")
    c.add_argument("--quiet", action="store_true")
    c.set_defaults(func=cmd_check)
    d = sub.add_parser("demo", help="écrire l'export de démonstration et construire sa base")
    d.add_argument("--db", required=True)
    d.add_argument("--seed", type=int, default=2009)
    d.add_argument("--export", help="garder l'export CSV généré à ce chemin")
    d.add_argument("--quiet", action="store_true")
    d.set_defaults(func=cmd_demo)
    f = sub.add_parser("diff", help="ce qui a changé entre deux éditions (ou deux bases)")
    f.add_argument("old", help="l'ancienne : date d'une édition (AAAA-MM-JJ) ou chemin d'une base")
    f.add_argument("new", help="la nouvelle : date d'une édition ou chemin d'une base")
    f.add_argument("--db", help="la base servie, dont le dossier tient les éditions (défaut : $COOPATLAS_DB)")
    f.add_argument("--csv", help="écrire aussi les différences ligne à ligne dans ce fichier CSV")
    f.set_defaults(func=cmd_diff)
    s = sub.add_parser("serve", help="servir le tableau de bord")
    s.add_argument("--db", required=True)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8050)
    s.add_argument("--debug", action="store_true", help="mode débogage de Dash (serveur de développement)")
    s.add_argument("--workers", type=int, default=0,
                   help="0 : serveur de développement ; N ≥ 1 : production, N processus gunicorn")
    s.add_argument("--threads", type=int, default=4, help="fils par processus en production")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (UnreadableInput, UnwritableTarget, UnknownEdition, DiffError) as exc:
        _say(f"coopatlas : erreur : {exc}", sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("coopatlas : interrompu ; la base précédente est intacte.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
