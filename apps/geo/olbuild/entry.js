// The OpenLayers subset the admin's geometry widget needs: what Django's gis/js/OLMapWidget.js
// and geo/admin-map.js call, exposed as the global `ol` they expect. Built by `make vendor-ol`.
// Deliberately absent: the sources and formats that default to servers on the internet
// (OSM, Stamen, Bing, KML's default icons, epsg.io look-ups), so no code path can fetch them.
import Collection from "ol/Collection.js";
import Map from "ol/Map.js";
import View from "ol/View.js";
import Control from "ol/control/Control.js";
import { shiftKeyOnly, singleClick } from "ol/events/condition.js";
import { createEmpty, extend } from "ol/extent.js";
import GeoJSON from "ol/format/GeoJSON.js";
import GeometryCollection from "ol/geom/GeometryCollection.js";
import Draw from "ol/interaction/Draw.js";
import Modify from "ol/interaction/Modify.js";
import TileLayer from "ol/layer/Tile.js";
import VectorLayer from "ol/layer/Vector.js";
import { fromLonLat, transform } from "ol/proj.js";
import VectorSource from "ol/source/Vector.js";
import XYZ from "ol/source/XYZ.js";
import { Fill, Stroke, Style } from "ol/style.js";

window.ol = {
  Collection,
  Map,
  View,
  control: { Control },
  events: { condition: { shiftKeyOnly, singleClick } },
  extent: { createEmpty, extend },
  format: { GeoJSON },
  geom: { GeometryCollection },
  interaction: { Draw, Modify },
  layer: { Tile: TileLayer, Vector: VectorLayer },
  proj: { fromLonLat, transform },
  source: { Vector: VectorSource, XYZ },
  style: { Fill, Stroke, Style },
};
