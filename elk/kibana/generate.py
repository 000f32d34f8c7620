#!/usr/bin/env python3
"""Writes kopek.ndjson, Kopek's Kibana saved objects (Kibana 8.19 export format), from the compact definitions below.

Run it after editing a definition: python3 elk/kibana/generate.py. The NDJSON is what ships and what the tests read;
this script only keeps its hand-written Lens states consistent (column ids, references, panel references).
"""
import json
import pathlib

CORE = "8.8.0"
DATA_VIEWS = {
    # alias: (time field, money fields in kopecks)
    "kopek-payments": ("business_date", ["amount", "refunded"]),
    "kopek-refunds": ("business_date", ["amount"]),
    "kopek-invoices": ("issue_date", ["total", "vat", "paid", "refunded", "outstanding"]),
    "kopek-holds": ("expires_at", ["amount", "captured"]),
    "kopek-receipts": ("created_at", ["total"]),
    "kopek-reconciliation-runs": ("business_date", ["registry_settles", "ledger_expects", "registry_commission"]),
    "kopek-discrepancies": ("business_date", ["amount"]),
}


def data_view_id(alias):
    return "kopek-dv-" + alias.removeprefix("kopek-")


def data_view(alias):
    time_field, money = DATA_VIEWS[alias]
    # Kibana's field formatters cannot scale a value (no divisor), so in Discover the raw money fields keep their
    # unit in their label; the charts show roubles through a Lens formula (sum(field) / 100), which is client-side
    # math on the aggregation's result and needs no script.
    return {
        "type": "index-pattern",
        "id": data_view_id(alias),
        "attributes": {
            "title": alias,
            "name": "Kopek " + alias.removeprefix("kopek-").replace("-", " "),
            "timeFieldName": time_field,
            "allowNoIndex": True,
            "fieldAttrs": json.dumps({f: {"customLabel": f + ", kopecks"} for f in money}),
            "fieldFormatMap": json.dumps({f: {"id": "number", "params": {"pattern": "0,0"}} for f in money}),
            "runtimeFieldMap": "{}",
            "sourceFilters": "[]",
        },
        "references": [],
        "managed": False,
        "coreMigrationVersion": CORE,
        "typeMigrationVersion": "8.0.0",
    }


def date_histogram(field, interval="d"):
    return {
        "label": field,
        "dataType": "date",
        "operationType": "date_histogram",
        "sourceField": field,
        "isBucketed": True,
        "scale": "interval",
        "params": {"interval": interval, "includeEmptyRows": True, "dropPartials": False},
    }


def terms(field, order_by, size=10):
    return {
        "label": "Top " + field,
        "dataType": "string",
        "operationType": "terms",
        "sourceField": field,
        "isBucketed": True,
        "scale": "ordinal",
        "params": {
            "size": size,
            "orderBy": {"type": "column", "columnId": order_by},
            "orderDirection": "desc",
            "otherBucket": True,
            "missingBucket": False,
            "parentFormat": {"id": "terms"},
        },
    }


def count(label):
    return {
        "label": label,
        "dataType": "number",
        "operationType": "count",
        "sourceField": "___records___",
        "isBucketed": False,
        "scale": "ratio",
        "params": {"emptyAsNull": True},
        "customLabel": True,
    }


def roubles(col, field, label):
    """A formula column sum(field) / 100 with the helper columns Lens keeps for it: money is stored in kopecks."""
    formula = "sum(%s) / 100" % field
    return {
        col: {
            "label": label,
            "dataType": "number",
            "operationType": "formula",
            "isBucketed": False,
            "scale": "ratio",
            "params": {
                "formula": formula,
                "isFormulaBroken": False,
                "format": {"id": "number", "params": {"decimals": 2}},
            },
            "references": [col + "X1"],
            "customLabel": True,
        },
        col + "X0": {
            "label": "Part of " + label,
            "dataType": "number",
            "operationType": "sum",
            "sourceField": field,
            "isBucketed": False,
            "scale": "ratio",
            "params": {"emptyAsNull": False},
            "customLabel": True,
        },
        col + "X1": {
            "label": "Part of " + label,
            "dataType": "number",
            "operationType": "math",
            "isBucketed": False,
            "scale": "ratio",
            "params": {
                "tinymathAst": {
                    "type": "function",
                    "name": "divide",
                    "args": [col + "X0", 100],
                    "location": {"min": 0, "max": len(formula)},
                    "text": formula,
                }
            },
            "references": [col + "X0"],
            "customLabel": True,
        },
    }


def phrases(alias, field, values):
    """A dashboard-style filter "field is one of values", its query the Elasticsearch DSL Kibana sends."""
    return {
        "meta": {
            "type": "phrases",
            "key": field,
            "params": values,
            "alias": None,
            "negate": False,
            "disabled": False,
            "indexRefName": "filter-index-pattern-0",
        },
        "query": {
            "bool": {
                "should": [{"match_phrase": {field: v}} for v in values],
                "minimum_should_match": 1,
            }
        },
        "$state": {"store": "appState"},
    }


def lens(vid, title, alias, x, y, split=None, filters=(), series="bar_stacked", description=""):
    """An XY Lens chart: x (a bucket column), y (a metric column), optionally split (a breakdown bucket column)."""
    columns = {}
    x_id, x_col = x
    columns[x_id] = x_col
    y_id, y_cols = y
    columns.update(y_cols)
    order = [x_id]
    layer = {
        "layerId": "layer1",
        "accessors": [y_id],
        "position": "top",
        "seriesType": series,
        "showGridlines": False,
        "layerType": "data",
        "xAccessor": x_id,
    }
    if split:
        s_id, s_col = split
        columns[s_id] = s_col
        order.append(s_id)
        layer["splitAccessor"] = s_id
    # Buckets first (x, then the breakdown: Lens nests them in this order), then the metric and its helpers.
    order += [c for c in columns if c not in order]
    refs = [{"type": "index-pattern", "id": data_view_id(alias), "name": "indexpattern-datasource-layer-layer1"}]
    if filters:
        refs.append({"type": "index-pattern", "id": data_view_id(alias), "name": "filter-index-pattern-0"})
    return {
        "type": "lens",
        "id": vid,
        "attributes": {
            "title": title,
            "description": description,
            "visualizationType": "lnsXY",
            "state": {
                "datasourceStates": {
                    "formBased": {
                        "layers": {
                            "layer1": {"columns": columns, "columnOrder": order, "incompleteColumns": {}}
                        }
                    }
                },
                "visualization": {
                    "legend": {"isVisible": True, "position": "right"},
                    "valueLabels": "hide",
                    "fittingFunction": "None",
                    "preferredSeriesType": series,
                    "layers": [layer],
                },
                "query": {"query": "", "language": "kuery"},
                "filters": list(filters),
                "adHocDataViews": {},
                "internalReferences": [],
            },
        },
        "references": refs,
        "managed": False,
        "coreMigrationVersion": CORE,
        "typeMigrationVersion": "8.9.0",
    }


def dashboard(did, title, description, panels, time_from="now-30d", time_to="now"):
    panels_json, refs = [], []
    for i, (vid, w) in enumerate(panels):
        key = "p%d" % (i + 1)
        panels_json.append(
            {
                "type": "lens",
                "gridData": {"x": (i % 2) * 24, "y": (i // 2) * 15, "w": w, "h": 15, "i": key},
                "panelIndex": key,
                "embeddableConfig": {"enhancements": {}},
                "panelRefName": "panel_" + key,
            }
        )
        refs.append({"type": "lens", "id": vid, "name": key + ":panel_" + key})
    return {
        "type": "dashboard",
        "id": did,
        "attributes": {
            "title": title,
            "description": description,
            "panelsJSON": json.dumps(panels_json, ensure_ascii=False),
            "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True,
                                       "syncTooltips": False, "hidePanelTitles": False}),
            "timeRestore": True,
            "timeFrom": time_from,
            "timeTo": time_to,
            "refreshInterval": {"pause": True, "value": 60000},
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})
            },
        },
        "references": refs,
        "managed": False,
        "coreMigrationVersion": CORE,
        "typeMigrationVersion": "8.9.0",
    }


visualizations = [
    lens("kopek-lens-turnover-by-provider", "Turnover by provider and day, ₽", "kopek-payments",
         ("x", date_histogram("business_date")),
         ("y", roubles("y", "amount", "Turnover, ₽")),
         split=("provider", terms("provider", "y")),
         description="Sum of payments per provider and business day, in roubles (amount is kopecks / 100)."),
    lens("kopek-lens-refunds-per-day", "Refunds per day, ₽", "kopek-refunds",
         ("x", date_histogram("business_date")),
         ("y", roubles("y", "amount", "Refunds, ₽")),
         split=("method", terms("method", "y")),
         description="Sum of refunds per business day and method, in roubles."),
    lens("kopek-lens-discrepancies-by-class", "Discrepancies by class over time", "kopek-discrepancies",
         ("x", date_histogram("business_date")),
         ("y", {"y": count("Discrepancies")}),
         split=("result", terms("result", "y")),
         description="Discrepancies found by reconciliation per business day and class."),
    lens("kopek-lens-fiscal-backlog", "Fiscal backlog: receipts by state", "kopek-receipts",
         ("x", terms("state", "y", size=10)),
         ("y", {"y": count("Receipts")}),
         split=("kind", terms("kind", "y")),
         description="Receipts per state and kind; pending and waiting are the backlog."),
    lens("kopek-lens-fiscal-failures", "Fiscal failures per day", "kopek-receipts",
         ("x", date_histogram("created_at")),
         ("y", {"y": count("Failed or invalid receipts")}),
         split=("state", terms("state", "y")),
         filters=[phrases("kopek-receipts", "state", ["failed", "invalid"])],
         description="Receipts the operator failed or that failed validation, per day of creation."),
    lens("kopek-lens-holds-expiring", "Active holds by expiry, ₽", "kopek-holds",
         ("x", date_histogram("expires_at", "h")),
         ("y", roubles("y", "amount", "Held, ₽")),
         split=("provider", terms("provider", "y")),
         filters=[phrases("kopek-holds", "status", ["active"])],
         description="Money held by active holds, per hour of expiry and provider, in roubles."),
    lens("kopek-lens-receivables", "Receivables: outstanding of unpaid invoices by due date, ₽", "kopek-invoices",
         ("x", date_histogram("due_date")),
         ("y", roubles("y", "outstanding", "Outstanding, ₽")),
         split=("status", terms("status", "y")),
         filters=[phrases("kopek-invoices", "status", ["issued", "partially_paid", "overdue"])],
         description="What customers still owe on unpaid invoices, per due date and status, in roubles."),
]

dashboards = [
    dashboard("kopek-dashboard-turnover", "Kopek – Turnover and refunds",
              "Payments per provider and day, refunds per day (roubles).",
              [("kopek-lens-turnover-by-provider", 24), ("kopek-lens-refunds-per-day", 24)]),
    dashboard("kopek-dashboard-reconciliation", "Kopek – Reconciliation discrepancies",
              "Discrepancies by class over time.",
              [("kopek-lens-discrepancies-by-class", 48)]),
    dashboard("kopek-dashboard-fiscal", "Kopek – Fiscal backlog and failures",
              "54-FZ receipts by state and kind; failed and invalid receipts per day.",
              [("kopek-lens-fiscal-backlog", 24), ("kopek-lens-fiscal-failures", 24)]),
    dashboard("kopek-dashboard-holds-receivables", "Kopek – Holds expiring and receivables",
              "Active holds by expiry (next 7 days) and outstanding of unpaid invoices by due date.",
              [("kopek-lens-holds-expiring", 24), ("kopek-lens-receivables", 24)],
              time_from="now-90d", time_to="now+7d"),
]

objects = [data_view(a) for a in DATA_VIEWS] + visualizations + dashboards
out = pathlib.Path(__file__).with_name("kopek.ndjson")
out.write_text("".join(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n" for o in objects), encoding="utf-8")
print("wrote %d objects to %s" % (len(objects), out))
