/* Profile: drag the marker to move the producer (saved at once, commune re-derived by the
   server); draw polygons to add production areas (validated and measured by the server). */
(function () {
  "use strict";
  var el = document.getElementById("producer-map");
  if (!el) { return; }
  var i18n = JSON.parse(document.getElementById("producer-i18n").textContent);
  var kinds = JSON.parse(document.getElementById("area-kinds").textContent);
  var status = document.querySelector("[data-testid=map-status]");
  var error = document.querySelector("[data-testid=map-error]");
  var editable = el.dataset.editable === "1";
  var map = OcopMap.make(el);
  var here = L.latLng(parseFloat(el.dataset.lat), parseFloat(el.dataset.lon));
  map.setView(here, 13);
  OcopMap.communes(map, el.dataset.units, { code: el.dataset.commune });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function fail(res) { error.textContent = (res.data && res.data.message) || i18n.failed; }

  var marker = L.marker(here, { draggable: editable }).addTo(map);
  marker.on("dragend", function () {
    var p = marker.getLatLng();
    error.textContent = "";
    OcopMap.send("PATCH", el.dataset.producer, { location: { type: "Point", coordinates: [p.lng, p.lat] } })
      .then(function (res) {
        if (!res.ok) { marker.setLatLng(here); fail(res); return; }
        here = p;
        status.textContent = fill(i18n.moved, { commune: res.data.commune.full_name, province: res.data.province.full_name });
        document.querySelector("[data-testid=producer-units]").textContent =
          res.data.commune.full_name + ", " + res.data.province.full_name;
      }).catch(function () { marker.setLatLng(here); error.textContent = i18n.failed; });
  });

  var areas = L.featureGroup().addTo(map);
  var table = document.querySelector("[data-testid=area-table] tbody");
  // Leaflet puts a string popup into innerHTML: the producer's own text goes in as a text node.
  function text(s) { var span = document.createElement("span"); span.textContent = s; return span; }
  function addArea(a) {
    L.geoJSON(a.geometry, { style: { color: "#b8860b", weight: 2, className: "production-area" } })
      .bindPopup(text(a.name + " · " + a.area_ha + " ha")).addTo(areas);
    var row = table.insertRow();
    row.insertCell().textContent = a.name;
    row.insertCell().textContent = kinds[a.kind] || a.kind;
    row.insertCell().textContent = a.area_ha;
  }
  fetch(el.dataset.areas, { credentials: "same-origin" }).then(function (r) { return r.json(); })
    .then(function (page) { page.results.forEach(addArea); el.dataset.ready = "1"; });

  if (!editable) { return; }
  var drawn = null;
  var form = document.getElementById("area-form");
  map.addControl(new L.Control.Draw({
    draw: { polygon: { allowIntersection: true, showArea: false }, polyline: false, rectangle: false,
            circle: false, marker: false, circlemarker: false },
    edit: false
  }));
  map.on(L.Draw.Event.CREATED, function (e) {
    drawn = e.layer;
    form.hidden = false;
    document.getElementById("area-name").focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!drawn) { return; }
    error.textContent = "";
    OcopMap.send("POST", el.dataset.areas, {
      name: document.getElementById("area-name").value,
      kind: document.getElementById("area-kind").value,
      geometry: drawn.toGeoJSON().geometry
    }).then(function (res) {
      if (!res.ok) { fail(res); return; }
      addArea(res.data);
      status.textContent = fill(i18n.saved, { ha: res.data.area_ha });
      drawn = null;
      form.hidden = true;
      form.reset();
    }).catch(function () { error.textContent = i18n.failed; });
  });
})();
