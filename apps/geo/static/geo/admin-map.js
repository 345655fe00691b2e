/* Starts the admin's geometry widgets (apps/geo/widgets.py, geo/widgets/openlayers.html):
   Django's MapWidget (gis/js/OLMapWidget.js) on the vendored OpenLayers, from options kept as
   JSON data instead of Django's inline script. The base layer is OCOP_BASEMAP_URL when set and
   nothing otherwise (never OpenStreetMap's tiles: the app makes no request outside itself); the
   current provinces and the pilot province's communes come from this site's admin-unit API. */
/* global ol, MapWidget */
(function () {
  "use strict";

  var boundaryStyle = new ol.style.Style({
    stroke: new ol.style.Stroke({ color: "#8aa397", width: 1 }),
    fill: new ol.style.Fill({ color: "rgba(207, 232, 214, 0.25)" })
  });

  // Leaflet-style templates (the rest of the app uses Leaflet): {s} → OpenLayers' {a-c}.
  function xyzUrl(template) {
    return template.replace("{s}", "{a-c}").replace("{r}", "");
  }

  function basemapLayer(options) {
    return new ol.layer.Tile({
      source: new ol.source.XYZ({
        url: xyzUrl(options.basemap),
        attributions: options.basemap_attribution || undefined
      })
    });
  }

  // Every page of a GeoJSON FeatureCollection from the admin-unit API.
  function fetchUnits(url, params) {
    var first = url + "?" + new URLSearchParams(Object.assign({ format: "geojson", page_size: 1000 }, params));
    var features = [];
    function next(u) {
      return fetch(u, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (fc) {
          features = features.concat(fc.features);
          return fc.next ? next(fc.next) : { type: "FeatureCollection", features: features };
        });
    }
    return next(first);
  }

  function start(wrapper) {
    var data = document.getElementById(wrapper.dataset.ocopMapWidget);
    if (!data || wrapper.dataset.started) { return; }
    var options = JSON.parse(data.textContent);
    // An inline formset's empty form is a template, not a widget.
    if (options.id.indexOf("__prefix__") !== -1) { return; }
    wrapper.dataset.started = "1";

    var boundaries = new ol.layer.Vector({
      source: new ol.source.Vector({ attributions: options.attributions }),
      style: boundaryStyle
    });
    // MapWidget falls back to OpenStreetMap without a base layer, so there always is one.
    options.base_layer = options.basemap ? basemapLayer(options) : boundaries;
    var widget = new MapWidget(options);
    if (options.basemap) { widget.map.addLayer(boundaries); }
    // As Django's template did (var geodjango_<field> = new MapWidget(...)), for other scripts.
    window[options.module] = widget;
    var mapElement = document.getElementById(options.map_id);
    mapElement.mapWidget = widget;
    mapElement.dataset.ready = "map";

    var format = new ol.format.GeoJSON();
    var projection = widget.map.getView().getProjection();
    var read = function (fc) { return format.readFeatures(fc, { featureProjection: projection }); };
    Promise.all([
      fetchUnits(options.units_url, { level: "province" }),
      fetchUnits(options.units_url, { level: "commune", parent: options.pilot })
    ]).then(function (res) {
      var communes = read(res[1]);
      boundaries.getSource().addFeatures(read(res[0]).concat(communes));
      // Nothing drawn yet: show the pilot province rather than a point in the sea.
      if (widget.featureCollection.getLength() === 0 && communes.length) {
        var extent = ol.extent.createEmpty();
        communes.forEach(function (f) { ol.extent.extend(extent, f.getGeometry().getExtent()); });
        widget.map.getView().fit(extent, { padding: [10, 10, 10, 10] });
      }
      mapElement.dataset.ready = "boundaries";
    }).catch(function () {
      // The editor works without the backdrop; the test and the curious can see why.
      mapElement.dataset.ready = "no-boundaries";
    });
  }

  function startAll() {
    document.querySelectorAll("[data-ocop-map-widget]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
