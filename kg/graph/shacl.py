"""The SHACL shapes run as SPARQL inside the store: `kg validate` in seconds, not half a minute.

Why: pyshacl walks the graph in Python after copying it into rdflib; on the real corpus (173,000
triples) that took 13-26 s, most of it the copy and rdflib's lookups. Here each constraint of
ontology/shapes.ttl becomes one SPARQL query that returns only the violating nodes, and Oxigraph
evaluates it over the union of the named graphs, where the data already is.

What is translated is the part of SHACL Core the shapes use: targets (targetClass,
targetSubjectsOf), predicate and alternative paths, minCount, maxCount, class, datatype,
minLength, minInclusive, hasValue, node, or, qualifiedValueShape with qualifiedMin/MaxCount,
lessThan and lessThanOrEquals, with sh:severity and sh:message. Anything else in a shape raises
`Unsupported`, and `kg.graph.validate` falls back to pyshacl, so a new kind of constraint is never
skipped silently. The ontology (kg.ttl and the generated schemes) takes part as pyshacl's
ont_graph did: its triples are joined to every triple pattern as a VALUES table (it has no blank
nodes), and rdfs:subClassOf is closed here once. Rows are those of pyshacl (severity, focus, path,
value, constraint, message); where a shape gives no sh:message the message is this module's own.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
NAMED_INDIVIDUAL = OWL + "NamedIndividual"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
ONTOLOGY_FILES = ("kg.ttl", "doc-types.ttl", "relations.ttl")  # = kg.graph.vocab.ontology_graph(), tested

# shape predicates that only describe or point: everything else in sh: must be translated
_INERT = {"message", "severity", "path", "name", "description", "order", "group", "targetClass", "targetSubjectsOf",
          "property", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount"}
_VALUE_CHECKS = {"class", "datatype", "minLength", "minInclusive", "node", "or"}


class Unsupported(ValueError):
    """A shape uses SHACL this module does not translate (pyshacl is used instead)."""


def _nt(term: Any) -> str:
    return str(term)  # N-Triples syntax, which SPARQL reads for IRIs and literals


@dataclass
class Shapes:
    """The shapes graph as subject -> predicate -> objects, read with Oxigraph."""

    by_subject: dict[Any, dict[str, list[Any]]]

    @classmethod
    def parse(cls, path: Path) -> Shapes:
        d: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for t in ox.parse(path=str(path)):
            d[t.subject][t.predicate.value].append(t.object)
        return cls(d)

    def get(self, node: Any, name: str) -> list[Any]:
        return self.by_subject.get(node, {}).get(SH + name, [])

    def one(self, node: Any, name: str) -> Any:
        vals = self.get(node, name)
        return vals[0] if vals else None

    def items(self, head: Any) -> list[Any]:
        out = []
        while not (isinstance(head, ox.NamedNode) and head.value == RDF_NIL):
            out.append(self.by_subject[head][RDF_FIRST][0])
            head = self.by_subject[head][RDF_REST][0]
        return out

    def node_shapes(self) -> list[Any]:
        return [s for s, p in self.by_subject.items() if p.get(SH + "targetClass") or p.get(SH + "targetSubjectsOf")]


@dataclass
class Ontology:
    """The ontology's triples by predicate, and rdfs:subClassOf closed (with the data's own)."""

    pairs: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    subs: dict[str, set[str]] = field(default_factory=dict)  # class -> itself and its subclasses

    @classmethod
    def load(cls, directory: Path, data) -> Ontology:
        o = cls()
        edges = [(r["s"], r["o"]) for r in data.query(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{SUBCLASS}> ?o }}")]
        for name in ONTOLOGY_FILES:
            for t in ox.parse(path=str(directory / name)):
                if not _axiom(t):
                    continue
                o.pairs[t.predicate.value].append((_nt(t.subject), _nt(t.object)))
                if t.predicate.value == SUBCLASS:
                    edges.append((t.subject.value, t.object.value))
        sub: dict[str, set[str]] = defaultdict(set)
        for a, b in edges:
            sub[b].add(a)
        for c in list(sub):
            seen, todo = {c}, [c]
            while todo:
                for x in sub.get(todo.pop(), ()):
                    if x not in seen:
                        seen.add(x)
                        todo.append(x)
            o.subs[c] = seen
        return o

    def classes(self, c: str) -> set[str]:
        return self.subs.get(c, {c})


def _axiom(t: Any) -> bool:
    """What pyshacl copies from its ont_graph into the data ("inoculation"): the RDFS and OWL
    axioms, i.e. a node typed with an RDFS or OWL class, and the RDFS and OWL properties. SKOS
    facts of the schemes are not among them: the graph must state what its shapes check."""
    if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
        raise Unsupported("blank nodes in the ontology")
    if t.predicate.value == RDF_TYPE:
        if t.object.value == NAMED_INDIVIDUAL:
            raise Unsupported("owl:NamedIndividual in the ontology (pyshacl copies all it says)")
        return t.object.value.startswith((RDFS, OWL))
    return t.predicate.value.startswith((RDFS, OWL))


class Compiler:
    """SHACL shapes -> SPARQL: the violations of each constraint of each targeted shape."""

    def __init__(self, shapes: Shapes, onto: Ontology):
        self.shapes, self.onto, self._n = shapes, onto, itertools.count()

    def var(self) -> str:
        return f"?v{next(self._n)}"

    # -- triple patterns, with the ontology joined in -------------------------------------------
    def triple(self, s: str, p: str, o: str) -> str:
        pairs = self.onto.pairs.get(p)
        own = f"{s} <{p}> {o} ."
        if not pairs:
            return own
        rows = [(a, b) for a, b in pairs if (s.startswith("?") or a == s) and (o.startswith("?") or b == o)]
        if not rows:
            return own
        if s.startswith("?") and o.startswith("?"):
            values = f"VALUES ({s} {o}) {{ {' '.join(f'({a} {b})' for a, b in rows)} }}"
        elif s.startswith("?"):
            values = f"VALUES {s} {{ {' '.join(a for a, _ in rows)} }}"
        elif o.startswith("?"):
            values = f"VALUES {o} {{ {' '.join(b for _, b in rows)} }}"
        else:
            values = ""
        return f"{{ {own} }} UNION {{ {values} }}"

    def path(self, s: str, path: Any, o: str) -> str:
        if isinstance(path, ox.NamedNode):
            return self.triple(s, path.value, o)
        alt = self.shapes.one(path, "alternativePath")
        if alt is None or len(self.shapes.by_subject[path]) != 1:
            raise Unsupported(f"path {path}")
        return " UNION ".join(f"{{ {self.triple(s, p.value, o)} }}" for p in self.shapes.items(alt))

    def typed(self, x: str, c: str) -> str:
        """x is a SHACL instance of c: typed c or a subclass, in the data or in the ontology."""
        t, classes = self.var(), self.onto.classes(c)
        own = f"{x} <{RDF_TYPE}> {t} . VALUES {t} {{ {' '.join(f'<{k}>' for k in sorted(classes))} }}"
        names = [a for a, b in self.onto.pairs.get(RDF_TYPE, []) if b[1:-1] in classes]
        return f"{{ {own} }} UNION {{ VALUES {x} {{ {' '.join(names)} }} }}" if names else own

    def has_class(self, x: str, c: str) -> str:
        return f"EXISTS {{ {self.typed(x, c)} }}"

    # -- a node's conformance to a shape, as a SPARQL expression -------------------------------
    def value_ok(self, shape: Any, name: str, arg: Any, x: str) -> str:
        if name == "class":
            return self.has_class(x, arg.value)
        if name == "datatype":
            return f"(isLiteral({x}) && datatype({x}) = <{arg.value}>)"
        if name == "minLength":
            return f"(!isBlank({x}) && STRLEN(STR({x})) >= {int(arg.value)})"
        if name == "minInclusive":
            return f"COALESCE({x} >= {_nt(arg)}, false)"
        if name == "node":
            return self.conforms(arg, x)
        if name == "or":
            return "(" + " || ".join(self.conforms(s, x) for s in self.shapes.items(arg)) + ")"
        raise Unsupported(name)

    def conforms(self, shape: Any, x: str) -> str:
        """True when node x conforms to the shape (its node constraints and property shapes)."""
        self.check_known(shape)
        parts = [self.value_ok(shape, n, a, x) for n in _VALUE_CHECKS for a in self.shapes.get(shape, n)]
        for ps in self.shapes.get(shape, "property"):
            parts += self.property_ok(ps, x)
        return "(" + " && ".join(parts or ["true"]) + ")"

    def property_ok(self, ps: Any, x: str) -> list[str]:
        self.check_known(ps, property_shape=True)
        sh, path, out = self.shapes, self.shapes.one(ps, "path"), []
        v, w = self.var(), self.var()
        for n in _VALUE_CHECKS:
            for a in sh.get(ps, n):
                out.append(f"NOT EXISTS {{ {self.path(x, path, v)} FILTER(!{self.value_ok(ps, n, a, v)}) }}")
        for a in sh.get(ps, "hasValue"):
            out.append(f"EXISTS {{ {self.path(x, path, _nt(a))} }}")
        lo, hi = sh.one(ps, "minCount"), sh.one(ps, "maxCount")
        q = sh.one(ps, "qualifiedValueShape")
        if q is not None:
            ok = lambda y: self.conforms(q, y)  # noqa: E731
            lo, hi = sh.one(ps, "qualifiedMinCount"), sh.one(ps, "qualifiedMaxCount")
        else:
            ok = lambda y: "true"  # noqa: E731
        if lo is not None and int(lo.value) > 1 or hi is not None and int(hi.value) > 1:
            raise Unsupported("a nested count above 1")
        if lo is not None and int(lo.value) == 1:
            out.append(f"EXISTS {{ {self.path(x, path, v)} FILTER({ok(v)}) }}")
        if hi is not None:
            pair = f"{self.path(x, path, v)} {self.path(x, path, w)}"
            cond = f"!sameTerm({v}, {w}) && {ok(v)} && {ok(w)}" if int(hi.value) == 1 else ok(v)
            out.append(f"NOT EXISTS {{ {pair} FILTER({cond}) }}")
        if sh.get(ps, "lessThan") or sh.get(ps, "lessThanOrEquals"):
            raise Unsupported("a nested lessThan")
        return out

    def check_known(self, shape: Any, property_shape: bool = False) -> None:
        known = _INERT | _VALUE_CHECKS | {"minCount", "maxCount", "hasValue", "lessThan", "lessThanOrEquals",
                                          "alternativePath"}
        for p in self.shapes.by_subject.get(shape, {}):
            if p.startswith(SH) and p[len(SH):] not in known:
                raise Unsupported(p)
            if p == RDF_TYPE and any(o.value != SH + ("PropertyShape" if property_shape else "NodeShape")
                                     and o.value != SH + "NodeShape" for o in self.shapes.by_subject[shape][p]):
                raise Unsupported(f"{shape} is also a class (implicit targets)")

    # -- the queries of one targeted shape ------------------------------------------------------
    def focus(self, shape: Any, f: str) -> str:
        parts = [f"{{ {self.typed(f, c.value)} }}" for c in self.shapes.get(shape, "targetClass")]
        parts += [f"{{ {self.triple(f, p.value, self.var())} }}" for p in self.shapes.get(shape, "targetSubjectsOf")]
        return "{ SELECT DISTINCT " + f + " WHERE { " + " UNION ".join(parts) + " } }"

    def branches(self, shape: Any, f: str = "?f", v: str = "?v",
                 derived: bool = False) -> Iterator[tuple[dict[str, Any], str]]:
        """(what the rows are: constraint, path, severity, message; a pattern over the focus f that
        matches once per violation, binding v to the value where there is one)."""
        sh = self.shapes
        self.check_known(shape)
        for n in _VALUE_CHECKS:
            for a in sh.get(shape, n):
                yield self._meta(shape, n, None), f"{self.bad(shape, n, a, f, self.focus(shape, f))} BIND({f} AS {v})"
        for ps in sh.get(shape, "property"):
            self.check_known(ps, property_shape=True)
            path = sh.one(ps, "path")
            for n in _VALUE_CHECKS:
                for a in sh.get(ps, n):
                    if derived and n == "node":
                        continue  # read off the nested shape's own violations (see queries)
                    yield self._meta(ps, n, path), f"{self.path(f, path, v)} {self.bad(ps, n, a, v, self.path(f, path, v))}"
            for a in sh.get(ps, "hasValue"):
                yield self._meta(ps, "hasValue", path, _nt(a)), f"MINUS {{ {self.path(f, path, _nt(a))} }}"
            q = sh.one(ps, "qualifiedValueShape")
            names, ok = ("minCount", "maxCount"), lambda y: "true"  # noqa: E731
            if q is not None:
                names, ok = ("qualifiedMinCount", "qualifiedMaxCount"), lambda y: self.conforms(q, y)  # noqa: E731
            for name, op in zip(names, ("<", ">")):
                lim = sh.one(ps, name)
                if lim is None:
                    continue
                n, x = int(lim.value), self.var()
                counted = (f"{{ SELECT {f} WHERE {{ {self.path(f, path, x)} FILTER({ok(x)}) }} GROUP BY {f} "
                           f"HAVING (COUNT(DISTINCT {x}) {'>=' if op == '<' else '>'} {n}) }}")
                # grouped and subtracted, not a FILTER NOT EXISTS per focus: half the time in Oxigraph
                pattern = f"MINUS {counted}" if op == "<" else counted
                yield self._meta(ps, name, path, n), pattern
            for name, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
                for other in sh.get(ps, name):
                    w = self.var()
                    yield (self._meta(ps, name, path, other.value),
                           f"{self.path(f, path, v)} {self.triple(f, other.value, w)} "
                           f"FILTER(!COALESCE({v} {op} {w}, false))")

    def bad(self, shape: Any, name: str, arg: Any, x: str, domain: str) -> str:
        """A pattern that keeps the rows whose bound x fails the check; `domain` is the pattern that
        binds x before it (repeated in each branch of a UNION, which SPARQL evaluates on its own)."""
        if name == "class":  # MINUS, not FILTER NOT EXISTS: half the time in Oxigraph
            return f"MINUS {{ {self.typed(x, arg.value)} }}"
        if name == "node":  # x fails the shape when it breaks any of its constraints: one UNION
            y = self.var()
            alts = [f"{{ {domain} {pattern} }}" for _, pattern in self.branches(arg, x, y)]
            return " UNION ".join(alts) if alts else "FILTER(false)"
        return f"FILTER(!{self.value_ok(shape, name, arg, x)})"

    def queries(self, shape: Any, focus_of=None) -> Iterator[tuple[dict[str, Any], str]]:
        """One query per constraint: a UNION of them would evaluate a FILTER-only branch (minCount)
        before its focus is bound, which SPARQL's scoping makes wrong, and is no faster.

        As pyshacl does, the constraints of a shape reached through sh:node are reported too, with
        the value node as their focus (`focus_of(var)`: the pattern binding var to the focus nodes).
        For a targeted shape's property with sh:node, those queries keep the outer focus (?of), and
        the sh:node violations are read off them (a value fails the shape when it breaks one of its
        constraints) instead of being evaluated a second time."""
        top = focus_of is None
        focus_of = focus_of or (lambda var: self.focus(shape, var))
        for meta, pattern in self.branches(shape, derived=top):
            yield meta, f"SELECT DISTINCT ?f ?v WHERE {{ {focus_of('?f')} {pattern} }}"
        for nested in self.shapes.get(shape, "node"):
            yield from self.queries(nested, focus_of)
        for ps in self.shapes.get(shape, "property"):
            path = self.shapes.one(ps, "path")
            for nested in self.shapes.get(ps, "node"):
                def values(var: str, path: Any = path) -> str:
                    g, x = self.var(), self.var()
                    keep = f"({g} AS ?of) " if top else ""
                    return (f"{{ SELECT DISTINCT {keep}({x} AS {var}) WHERE {{ {focus_of(g)} "
                            f"{self.path(g, path, x)} }} }}")
                outer = self._meta(ps, "node", path) if top else None
                for meta, sparql in self.queries(nested, values):
                    if outer is not None and meta.get("outer") is None:
                        meta = {**meta, "outer": outer}
                        sparql = sparql.replace("SELECT DISTINCT ?f ?v", "SELECT DISTINCT ?of ?f ?v", 1)
                    yield meta, sparql

    def _meta(self, shape: Any, name: str, path: Any, arg: Any = None) -> dict[str, Any]:
        sev = self.shapes.one(shape, "severity")
        msg = self.shapes.one(shape, "message")
        component = name[0].upper() + name[1:] + "ConstraintComponent"
        if path is None:
            shown = ""
        elif isinstance(path, ox.NamedNode):
            shown = path.value.rsplit("#", 1)[-1]
        else:
            shown = "|".join(p.value.rsplit("#", 1)[-1] for p in self.shapes.items(self.shapes.one(path, "alternativePath")))
        default = {"minCount": f"Less than {arg} values on {shown}", "maxCount": f"More than {arg} values on {shown}",
                   "qualifiedMinCount": f"Less than {arg} values on {shown} conform to the qualified shape",
                   "qualifiedMaxCount": f"More than {arg} values on {shown} conform to the qualified shape"}
        return {"severity": sev.value.rsplit("#", 1)[-1] if sev is not None else "Violation", "path": shown,
                "constraint": component,
                "message": msg.value if msg is not None else default.get(name, f"{component} not met on <{shown}>")}


def run(shapes_path: Path, ontology_dir: Path, store) -> list[dict[str, Any]]:
    """One row per violation (severity, focus, path, value, constraint, message), as pyshacl's."""
    shapes = Shapes.parse(shapes_path)
    comp = Compiler(shapes, Ontology.load(ontology_dir, store))
    plan = [item for s in shapes.node_shapes() for item in comp.queries(s)]  # Unsupported before any query
    rows, failed = [], {}
    for meta, sparql in plan:
        for r in store.query(sparql):
            value = r.get("v")
            rows.append({"severity": meta["severity"], "focus": str(r["f"]), "path": meta["path"],
                         "value": "" if value is None else str(value), "constraint": meta["constraint"],
                         "message": meta["message"]})
            if meta.get("outer") and r.get("of") is not None:  # the outer focus's value fails sh:node
                o = meta["outer"]
                failed[(str(r["of"]), str(r["f"]), o["path"], o["message"])] = o
    for (focus, value, _, _), o in failed.items():
        rows.append({"severity": o["severity"], "focus": focus, "path": o["path"], "value": value,
                     "constraint": o["constraint"], "message": o["message"]})
    return rows
