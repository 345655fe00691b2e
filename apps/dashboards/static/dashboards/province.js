/* The provincial dashboard: commune (or pre-2025 district) choropleth by indicator, products
   and dossiers filtered by the panel, and the charts from /dashboards/api/summary. */
(function () {
  "use strict";
  var D = window.OcopDash, config = D.config, i18n = D.i18n;
  var el = document.getElementById("map");
  var status = document.getElementById("map-status");
  var errorBox = document.getElementById("dash-error");
  var form = document.getElementById("dash-filters");
  var indicatorSelect = document.getElementById("indicator");
  var map = D.makeMap(el);

  var ZERO = D.ZERO, breaks = D.breaks, colour = D.colour;
  var state = { era: "current", indicator: "products_recognised", units: null, provinces: null, products: null, dossiers: null };
  var unitLayer = null, provinceLayer = null, productLayer = null, dossierLayer = null, control = null;
  var legend = D.legendControl().addTo(map);
  var unitsGeneration = 0, unitsInflight = null;

  config.indicators.forEach(function (ind) {
    var o = document.createElement("option");
    o.value = ind.id; o.textContent = ind.title;
    indicatorSelect.appendChild(o);
  });
  indicatorSelect.value = state.indicator;

  // --- choropleth (classes and colours: common.js) ---------------------------------------
  function restyle() {
    if (!unitLayer) { return; }
    var key = state.indicator;
    var values = state.units.features.map(function (f) { return f.properties[key] || 0; });
    var bks = breaks(values);
    unitLayer.eachLayer(function (l) {
      var v = l.feature.properties[key] || 0;
      l.setStyle({ fillColor: colour(v, bks) });
      l.setTooltipContent(D.esc(l.feature.properties.name) + ": " + v);
    });
    el.dataset.indicator = key;
    var title = (config.indicators.filter(function (i) { return i.id === key; })[0] || {}).title || key;
    legend.getContainer().innerHTML = "<strong>" + D.esc(title) + "</strong>" + D.legendRows(bks) + D.pointsLegend();
  }

  function unitPopup(p) {
    var lines = config.indicators.map(function (ind) {
      return "<tr><td>" + D.esc(ind.title) + "</td><td>" + (p[ind.id] || 0) + "</td></tr>";
    }).join("");
    var link = p.level === "commune" && !p.valid_to
      ? '<br><a href="' + D.esc(D.communeUrl(p.code)) + '" data-testid="open-commune">' + D.esc(i18n.openCommune) + "</a>" : "";
    return "<strong>" + D.esc(p.full_name) + "</strong> <small>" + D.esc(p.code) + "</small>" + link +
      '<table class="popup-table">' + lines + "</table>";
  }

  function loadUnits() {
    // Switching era again aborts the previous era's requests; only the last one draws.
    if (unitsInflight) { unitsInflight.abort(); }
    var controller = unitsInflight = new AbortController(), signal = controller.signal;
    var my = ++unitsGeneration, pre = state.era === "pre2025";
    status.textContent = i18n.loading;
    el.dataset.unitsLoaded = "";
    var day = pre ? { valid_on: config.preReformDay } : {};
    var provinceUrl = config.provinceUrl + "?" + D.query(Object.assign({ level: "province", format: "geojson", page_size: 1000 }, day));
    var unitParams = pre
      ? config.preReformParents.map(function (code) { return Object.assign({ level: "district", parent: code }, day); })
      : [{ level: "commune", parent: config.province }];
    // One request after the other: a handful of small responses, and a gentler load on the server.
    var collected = [];
    var chain = D.getJSON(provinceUrl, signal).then(function (fc) { collected.push(fc); });
    unitParams.forEach(function (params) {
      chain = chain.then(function () { return D.fetchLayer("admin-units", params, signal); }).then(function (fc) { collected.push(fc); });
    });
    return chain.then(function () { return collected; }).then(function (res) {
      if (my !== unitsGeneration) { return; }
      unitsInflight = null;
      var provinces = res[0];
      var units = { type: "FeatureCollection", features: [] };
      res.slice(1).forEach(function (fc) { units.features = units.features.concat(fc.features); });
      state.units = units; state.provinces = provinces;
      if (provinceLayer) { map.removeLayer(provinceLayer); }
      if (unitLayer) { map.removeLayer(unitLayer); }
      provinceLayer = L.geoJSON(provinces, {
        style: { color: "#6c757d", weight: 1, fillColor: "#ffffff", fillOpacity: 0.15 }, interactive: false
      }).addTo(map);
      unitLayer = L.geoJSON(units, {
        style: function (f) { return { color: "#3d4b45", weight: 0.8, fillOpacity: 0.75, fillColor: ZERO, className: "unit unit-" + f.properties.code }; },
        onEachFeature: function (f, l) { l.bindPopup(unitPopup(f.properties)); l.bindTooltip(""); }
      }).addTo(map);
      unitLayer.bringToBack(); provinceLayer.bringToBack();
      restyle();
      setControl();
      if (units.features.length) { map.fitBounds(unitLayer.getBounds()); }
      el.dataset.provinceCount = String(provinces.features.length);
      el.dataset.unitCount = String(units.features.length);
      el.dataset.era = state.era;
      el.dataset.unitsLoaded = "1";
      showStatus();
    }).catch(function (err) {
      if (my === unitsGeneration && !D.isAbort(err)) { status.textContent = i18n.failed; el.dataset.unitsLoaded = "error"; }
    });
  }

  function setControl() {
    if (control) { map.removeControl(control); }
    var overlays = {};
    if (unitLayer) { overlays[i18n.units] = unitLayer; }
    if (productLayer) { overlays[i18n.products] = productLayer; }
    if (dossierLayer) { overlays[i18n.dossiers] = dossierLayer; }
    control = L.control.layers(null, overlays, { collapsed: true }).addTo(map);
  }

  function showStatus() {
    status.textContent = D.fmt(i18n.loaded, {
      u: state.units ? state.units.features.length : 0,
      p: state.products ? state.products.features.length : 0,
      d: state.dossiers ? state.dossiers.features.length : 0
    }) + (state.era === "pre2025" ? " " + i18n.preNote : "");
  }

  // --- filters, points and charts ---------------------------------------------------------
  function filterValues() {
    var values = {};
    new FormData(form).forEach(function (v, k) { if (String(v).trim()) { values[k] = String(v).trim(); } });
    return values;
  }

  function showError(err) {
    errorBox.textContent = err ? (err.body && err.body.message) || i18n.failed : "";
    form.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    var key = err && err.body && err.body.extra && err.body.extra.key;
    var field = key && form.elements[key === "datetime" ? "from" : key];
    if (field) { field.setAttribute("aria-invalid", "true"); }
  }

  function settle(promise) {
    return promise.then(function (fc) { return { ok: true, fc: fc }; }, function (err) { return { ok: false, err: err }; });
  }

  /* Products and dossiers draw independently: one layer failing leaves the other on the map. */
  function drawPoints(products, dossiers) {
    var empty = { type: "FeatureCollection", features: [] };
    state.products = products.ok ? products.fc : empty;
    state.dossiers = dossiers.ok ? dossiers.fc : empty;
    if (productLayer) { map.removeLayer(productLayer); }
    if (dossierLayer) { map.removeLayer(dossierLayer); }
    dossierLayer = D.dossierLayer(state.dossiers).addTo(map);
    productLayer = D.productLayer(state.products).addTo(map);
    setControl();
    el.dataset.productCount = products.ok ? String(state.products.features.length) : "error";
    el.dataset.dossierCount = dossiers.ok ? String(state.dossiers.features.length) : "error";
    el.dataset.pointsLoaded = "1";
    showStatus();
    if (!products.ok || !dossiers.ok) { status.textContent += " " + i18n.failed; }
  }

  function renderCharts(s) {
    var totals = document.getElementById("chart-totals");
    totals.textContent = D.fmt(i18n.totals, {
      p: s.products.total, r: s.products.recognised, d: s.dossiers.total, o: s.dossiers.open, x: s.dossiers.overdue
    });
    totals.dataset.products = s.products.total;
    totals.dataset.dossiers = s.dossiers.total;
    var q = function (sel) { return document.querySelector(sel); };
    D.bars(q("[data-testid=chart-group]"), Object.keys(s.products.by_group).map(function (g) {
      return { key: g, label: g + " · " + (config.groupLabels[g] || ""), title: config.groupLabels[g] || g, count: s.products.by_group[g] };
    }));
    D.bars(q("[data-testid=chart-star]"), Object.keys(s.products.by_star).map(function (k) {
      return { key: k, label: k + "★", count: s.products.by_star[k], colour: D.STAR_COLOURS[k] };
    }));
    D.bars(q("[data-testid=chart-commune]"), s.by_commune.slice(0, 15).map(function (c) {
      return {
        key: c.code, label: c.name, href: D.communeUrl(c.code), count: c.recognised,
        extra: "· " + c.dossiers_open + " " + i18n.open + (c.dossiers_overdue ? " · " + c.dossiers_overdue + " " + i18n.overdue : "")
      };
    }));
    D.bars(q("[data-testid=chart-year]"), s.recognitions_by_year.map(function (y) {
      return { key: String(y.year), label: String(y.year), count: y.count, colour: "#1864ab" };
    }));
    charts.dataset.loaded = "1";
  }

  function zoomToUnit(code) {
    if (!unitLayer || !code) { return; }
    unitLayer.eachLayer(function (l) {
      if (l.feature.properties.code === code) { map.fitBounds(l.getBounds()); }
    });
  }

  /* One generation per change of the filter panel. A new change aborts every request still in
     flight for the previous one; a generation draws its charts and points, and marks the panel
     "ok", only when all three of its requests have settled and no newer generation has started.
     So however fast filters change, what stays on screen is the last filter's numbers. */
  var generation = 0, inflight = null, timer = null;
  var charts = document.getElementById("charts");

  function refresh() {
    clearTimeout(timer);
    if (inflight) { inflight.abort(); }
    var controller = inflight = new AbortController();
    var my = ++generation;
    var values = filterValues();
    form.dataset.state = "loading";
    form.dataset.generation = String(my);
    var signal = controller.signal;
    // The summary validates every field (the same rules as the layers): a 400 names the field.
    return Promise.all([
      settle(D.getJSON(config.summaryUrl + "?" + D.query(values), signal)),
      settle(D.fetchLayer("products", D.layerParams("products", values), signal)),
      settle(D.fetchLayer("dossiers", D.layerParams("dossiers", values), signal))
    ]).then(function (res) {
      if (my !== generation) { return; }
      inflight = null;
      if (!res[0].ok) { throw res[0].err; }
      showError(null);
      renderCharts(res[0].fc);
      drawPoints(res[1], res[2]);
      zoomToUnit(values.unit);
      form.dataset.state = "ok";
    }).catch(function (err) {
      if (my !== generation || D.isAbort(err)) { return; }
      if (!err.body && window.console) { console.error(err); }
      showError(err);
      form.dataset.state = "error";
    });
  }

  form.addEventListener("change", refresh);
  form.addEventListener("input", function (e) {
    if (e.target.name === "round") { clearTimeout(timer); timer = setTimeout(refresh, 400); }
  });
  form.addEventListener("reset", function () { setTimeout(refresh, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); refresh(); });
  indicatorSelect.addEventListener("change", function () { state.indicator = indicatorSelect.value; restyle(); });
  document.querySelectorAll("input[name=era]").forEach(function (r) {
    r.addEventListener("change", function () { state.era = r.value; loadUnits(); });
  });

  loadUnits().then(refresh);
})();
