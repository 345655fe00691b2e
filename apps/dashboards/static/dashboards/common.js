/* Shared pieces of the dashboards: configuration, the GeoJSON layer API reader, the map with
   credits (and a basemap only when one is configured), product and dossier markers. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("dash-config").textContent);
  var i18n = JSON.parse(document.getElementById("dash-i18n").textContent);
  var attributions = JSON.parse(document.getElementById("map-attributions").textContent);

  var STAR_COLOURS = { 3: "#e0a800", 4: "#e8590c", 5: "#b02a37", none: "#8c96a0" };
  // Dossier statuses by stage: producer, commune, province, council, outcome.
  var STATUS_COLOURS = {
    draft: "#adb5bd", submitted: "#4dabf7", commune_reviewing: "#1c7ed6", returned_by_commune: "#f783ac",
    commune_assessed: "#1864ab", forwarded: "#9775fa", province_checking: "#7048e8",
    returned_by_province: "#e64980", accepted: "#5f3dc4", under_evaluation: "#f59f00",
    evaluated: "#e67700", proposed_central: "#d9480f", recognised: "#2b8a3e", not_recognised: "#495057"
  };

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] == null ? m : values[k]; });
  }

  function query(params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      if (params[k] !== "" && params[k] != null) { q.set(k, params[k]); }
    });
    return q.toString();
  }

  /* GET a JSON document; a non-2xx answer rejects with the server's error envelope as `body`.
     `signal` (an AbortSignal, optional) cancels the request: the promise then rejects with an
     AbortError, which callers treat as "superseded", never as a failure to show. */
  function requestJSON(url, accept, signal) {
    return fetch(url, { headers: { Accept: accept }, credentials: "same-origin", signal: signal }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { var e = new Error(body.message || String(r.status)); e.status = r.status; e.body = body; throw e; }
        return body;
      });
    });
  }

  function getJSON(url, signal) { return requestJSON(url, "application/json", signal); }

  function isAbort(err) { return !!err && err.name === "AbortError"; }

  /* Every page of a layer of the GeoJSON layer API (follows links rel=next). */
  function fetchLayer(layerId, params, signal) {
    var url = config.layerUrl.replace("LAYER", layerId) + "?" + query(Object.assign({ limit: 10000 }, params || {}));
    var features = [];
    function next(u) {
      return requestJSON(u, "application/geo+json", signal)
        .then(function (fc) {
          features = features.concat(fc.features || []);
          var more = (fc.links || []).filter(function (l) { return l.rel === "next"; })[0];
          return more ? next(more.href) : { type: "FeatureCollection", features: features };
        });
    }
    return next(url);
  }

  /* The filter panel's values as one layer's own parameters (the server's table). */
  function layerParams(layerId, values) {
    var out = {};
    Object.keys(config.panel.filters).forEach(function (field) {
      var name = config.panel.filters[field][layerId];
      if (name && values[field]) { out[name] = values[field]; }
    });
    if (config.panel.dateLayers.indexOf(layerId) >= 0 && (values.from || values.to)) {
      out.datetime = (values.from || "..") + "/" + (values.to || "..");
    }
    return out;
  }

  function makeMap(el) {
    var map = L.map(el, { preferCanvas: false, minZoom: 5, maxZoom: 18 }).setView([10.1, 106.3], 9);
    map.attributionControl.setPrefix(false);
    // data-moving="1" while the map pans or zooms (also the clusters' animations): a marker is
    // only clickable, and only where it is drawn, once the map has settled.
    map.on("movestart zoomstart", function () { el.dataset.moving = "1"; });
    map.on("moveend zoomend", function () { el.dataset.moving = ""; });
    attributions.forEach(function (a) { map.attributionControl.addAttribution(a); });
    if (el.dataset.basemap) {
      L.tileLayer(el.dataset.basemap, { attribution: el.dataset.basemapAttribution || "" }).addTo(map);
    }
    return map;
  }

  function productUrl(id) { return config.productUrl.replace("/0/", "/" + id + "/"); }
  function dossierUrl(id) { return config.dossierUrl.replace("/0/", "/" + id + "/"); }
  function communeUrl(code) { return config.communeUrl.replace("CODE", code); }

  function productPopup(p, id) {
    var star = p.stars && (p.certificate_status && p.certificate_status !== "expired" && p.certificate_status !== "revoked")
      ? fmt(i18n.stars, { n: p.stars }) : i18n.noStar;
    return "<strong>" + esc(p.name) + "</strong><br>" + esc(star) + " · " + esc(i18n.group) + " " + esc(p.group) +
      "<br>" + esc(i18n.producer) + ": " + esc(p.producer_name) + "<br>" + esc(p.commune_name) +
      '<br><a href="' + esc(productUrl(id)) + '" data-testid="open-product" data-id="' + esc(id) + '">' + esc(i18n.openProduct) + "</a>";
  }

  function standingStar(p) {
    var st = p.certificate_status;
    return p.stars && st !== "expired" && st !== "revoked" ? p.stars : null;
  }

  /* Products as clustered markers coloured by the star of their standing certificate. */
  function productLayer(fc) {
    var group = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    fc.features.forEach(function (f) {
      if (!f.geometry) { return; }
      var star = standingStar(f.properties);
      var icon = L.divIcon({
        className: "product-marker",
        html: '<span class="pm" data-testid="product-marker" data-id="' + esc(f.id) + '" style="background:' +
          STAR_COLOURS[star || "none"] + '">' + (star ? star + "★" : "·") + "</span>",
        iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12]
      });
      var c = f.geometry.coordinates;
      L.marker([c[1], c[0]], { icon: icon, title: f.properties.name, riseOnHover: true })
        .bindPopup(productPopup(f.properties, f.id)).addTo(group);
    });
    return group;
  }

  function dossierPopup(p, id) {
    return "<strong>" + esc(p.product_name) + "</strong>" + (p.receipt_number ? " <small>" + esc(p.receipt_number) + "</small>" : "") +
      "<br>" + esc(config.statusLabels[p.status] || p.status) +
      (p.commune_deadline ? "<br>" + esc(i18n.deadline) + ": " + esc(p.commune_deadline) : "") +
      (p.overdue ? ' <strong class="overdue-badge">' + esc(i18n.overdue) + "</strong>" : "") +
      "<br>" + esc(p.commune_name) +
      '<br><a href="' + esc(dossierUrl(id)) + '" data-testid="open-dossier" data-id="' + esc(id) + '">' + esc(i18n.openDossier) + "</a>";
  }

  /* Dossiers as circles coloured by status; overdue ones larger with a red ring. */
  function dossierLayer(fc) {
    var group = L.featureGroup();
    fc.features.forEach(function (f) {
      if (!f.geometry) { return; }
      var p = f.properties, c = f.geometry.coordinates;
      L.circleMarker([c[1], c[0]], {
        radius: p.overdue ? 9 : 6,
        color: p.overdue ? "#d00000" : "#ffffff",
        weight: p.overdue ? 3 : 1.5,
        fillColor: STATUS_COLOURS[p.status] || "#868e96",
        fillOpacity: 0.9,
        className: "dossier-marker status-" + p.status + (p.overdue ? " overdue" : "") + " dossier-" + f.id
      }).bindPopup(dossierPopup(p, f.id)).addTo(group);
    });
    return group;
  }

  function bars(el, items, options) {
    options = options || {};
    var max = items.reduce(function (m, it) { return Math.max(m, it.count); }, 0);
    if (!items.length) { el.innerHTML = '<p class="muted small">' + esc(i18n.noData) + "</p>"; return; }
    el.innerHTML = items.map(function (it) {
      var width = max ? Math.round(100 * it.count / max) : 0;
      var label = it.href ? '<a href="' + esc(it.href) + '">' + esc(it.label) + "</a>" : esc(it.label);
      return '<div class="bar-row" data-key="' + esc(it.key) + '" data-count="' + it.count + '"' +
        (it.title ? ' title="' + esc(it.title) + '"' : "") + '>' +
        '<span class="bar-label">' + label + "</span>" +
        '<span class="bar"><span style="width:' + width + "%;background:" + (it.colour || "#2e8b57") + '"></span></span>' +
        '<span class="bar-n">' + it.count + (it.extra ? ' <small class="muted">' + esc(it.extra) + "</small>" : "") + "</span></div>";
    }).join("");
  }

  /* Choropleth classes: up to six equal steps from 1 to the largest value; 0 has its own colour. */
  var CLASSES = ["#e9f2ec", "#c7e3cf", "#93c9a4", "#5aa877", "#2e8050", "#155c34"];
  var ZERO = "#f4f4f2";

  function breaks(values) {
    var max = Math.max.apply(null, values.concat([0]));
    if (max <= 0) { return []; }
    var n = Math.min(CLASSES.length, max);
    var out = [];
    for (var i = 1; i <= n; i++) { out.push(Math.ceil(max * i / n)); }
    return out.filter(function (b, i) { return i === 0 || b !== out[i - 1]; });
  }

  function colour(value, bks) {
    if (!value) { return ZERO; }
    // With fewer classes than colours, use the darker end so a single class still stands out.
    var offset = CLASSES.length - bks.length;
    for (var i = 0; i < bks.length; i++) { if (value <= bks[i]) { return CLASSES[offset + i]; } }
    return CLASSES[CLASSES.length - 1];
  }

  /* The legend's rows for `bks` (the 0 class first). */
  function legendRows(bks) {
    var rows = ['<div class="legend-swatch"><span class="sw" style="background:' + ZERO + '"></span>0</div>'];
    var lo = 1;
    bks.forEach(function (b) {
      rows.push('<div class="legend-swatch" data-testid="legend-class"><span class="sw" style="background:' + colour(b, bks) + '"></span>' +
        (lo === b ? b : lo + "–" + b) + "</div>");
      lo = b + 1;
    });
    return rows.join("");
  }

  function legendControl() {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "dash-legend");
      div.setAttribute("data-testid", "legend");
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control;
  }

  function pointsLegend() {
    var stars = [3, 4, 5].map(function (s) {
      return '<span class="sw round" style="background:' + STAR_COLOURS[s] + '"></span>' + s + "★";
    }).join(" ") + ' <span class="sw round" style="background:' + STAR_COLOURS.none + '"></span>' + esc(i18n.noStar);
    return '<div class="legend-points">' + stars + '<br><span class="sw round ring"></span>' + esc(i18n.overdue) + "</div>";
  }

  window.OcopDash = {
    config: config, i18n: i18n, esc: esc, fmt: fmt, query: query, getJSON: getJSON, fetchLayer: fetchLayer, isAbort: isAbort,
    layerParams: layerParams, makeMap: makeMap, productLayer: productLayer, dossierLayer: dossierLayer,
    bars: bars, legendControl: legendControl, pointsLegend: pointsLegend, communeUrl: communeUrl,
    breaks: breaks, colour: colour, legendRows: legendRows, ZERO: ZERO,
    STAR_COLOURS: STAR_COLOURS, STATUS_COLOURS: STATUS_COLOURS
  };
})();
