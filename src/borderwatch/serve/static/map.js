// borderwatch map: draws /api/geo (Natural Earth 1:10m shipped with the package) and /api/places
// with the vendored Leaflet and markercluster. No tile layer: nothing is fetched from outside.
// Every count drawn is inside a link to the incidents it counts (the place's `href` from the API).
// Text from the data is only ever inserted with textContent; colours come from the API (the
// event types of data/vocabularies.yaml) or from the ev-* classes of /style/events.css.
"use strict";

(function () {
  const canvas = document.getElementById("map-canvas");
  if (!canvas || !window.L) return;

  // Geography colours (SVG attributes set by Leaflet, not inline styles).
  const GEO = {
    land: "#f4f1ea", landKP: "#efe6d2", coast: "#7fa6c4", border: "#5a5a5a",
    province: "#b9b09e", river: "#2b7bba",
  };
  const DOT_MIN = 20, DOT_MAX = 46;

  async function getJSON(url) {
    const res = await fetch(url, {credentials: "same-origin"});
    if (!res.ok) throw new Error(url + ": HTTP " + res.status);
    return res.json();
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  function typeText(place, styles) {
    return Object.entries(place.types || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([t, n]) => ((styles[t] && styles[t].label) || t) + " " + n).join(", ");
  }

  // A link whose visible number is the place's incident count: the same link as the table's.
  function placeLink(place, styles, cls) {
    const a = el("a", cls);
    a.href = place.href;
    a.draggable = false;
    a.dataset.place = place.place_id;
    a.dataset.count = place.incidents;
    a.title = place.label + ": " + plural(place.incidents, "incident") + " (" + typeText(place, styles) + ")";
    return a;
  }

  function dotSize(count, max) {
    return Math.round(DOT_MIN + (DOT_MAX - DOT_MIN) * Math.sqrt(count / Math.max(1, max)));
  }

  function pointMarker(place, styles, max) {
    const d = dotSize(place.incidents, max);
    const a = placeLink(place, styles, "place-marker");
    const dot = el("span", "place-dot ev-" + (place.dominant_type || "none"), String(place.incidents));
    dot.classList.add("count");
    dot.style.width = dot.style.height = d + "px";
    a.append(dot, el("span", "place-name", place.label));
    const marker = L.marker([place.lat, place.lon], {
      icon: L.divIcon({html: a, className: "place-icon", iconSize: [d, d], iconAnchor: [d / 2, d / 2]}),
      keyboard: false, interactive: false, riseOnHover: true,
    });
    marker.place = place;
    return marker;
  }

  // A cluster: its circle sized by the incidents of its places, its label the places' names
  // (largest first). It is not a link (no single list holds those incidents); a click zooms in.
  function clusterIcon(cluster, max) {
    const places = cluster.getAllChildMarkers().map(m => m.place)
      .sort((a, b) => b.incidents - a.incidents || a.label.localeCompare(b.label));
    const total = places.reduce((s, p) => s + p.incidents, 0);
    const byType = {};
    places.forEach(p => Object.entries(p.types || {}).forEach(([t, n]) => { byType[t] = (byType[t] || 0) + n; }));
    const top = Object.entries(byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    const d = dotSize(total, max);
    const box = el("div", "cluster-box");
    box.dataset.places = places.map(p => p.place_id).join(" ");
    box.dataset.count = total;
    box.title = places.map(p => p.label).join(", ") + ": click to zoom in";
    const dot = el("span", "cluster-dot ev-" + (top ? top[0] : "none"));
    dot.style.width = dot.style.height = d + "px";
    const names = places.slice(0, 3).map(p => p.label).join(", ") + (places.length > 3 ? ", …" : "");
    box.append(dot, el("span", "place-name", names));
    return L.divIcon({html: box, className: "cluster-icon", iconSize: [d, d], iconAnchor: [d / 2, d / 2]});
  }

  function popupFor(place, styles) {
    const box = el("div", "map-popup");
    const a = placeLink(place, styles);
    a.append(el("strong", "", place.label + ": "), el("span", "count", String(place.incidents)),
             document.createTextNode(" " + (place.incidents === 1 ? "incident" : "incidents")));
    box.append(a, el("div", "muted", typeText(place, styles)));
    return box;
  }

  function areaLabel(place, styles, at) {
    const a = placeLink(place, styles, "area-label");
    a.append(el("span", "count ev-" + (place.dominant_type || "none"), String(place.incidents)),
             el("span", "place-name", place.label));
    return L.marker(at, {icon: L.divIcon({html: a, className: "area-icon", iconSize: null}),
                         keyboard: false, interactive: false, pane: "areaLabels"});
  }

  function geoLabel(f) {
    const kind = f.properties.kind.replace("label-", "");
    const [lon, lat] = f.geometry.coordinates;
    return L.marker([lat, lon], {
      icon: L.divIcon({html: el("span", "", f.properties.name), className: "geo-label " + kind, iconSize: null}),
      keyboard: false, interactive: false, pane: "geoLabels",
    });
  }

  // Labels stay readable: the circles are fixed; each place's name (largest counts first), then
  // each area's label, is nudged around its spot to where it overlaps least of what was placed
  // before it; a country, sea or river name that would overlap anything is hidden.
  const NUDGES = [[0, 0], [0, -15], [0, 15], [0, -30], [0, 30], [-50, 0], [50, 0], [-50, -15],
                  [50, 15], [0, -45], [0, 45], [-90, 0], [90, 0]];
  function overlap(r, taken) {
    let sum = 0;
    for (const t of taken) {
      const w = Math.min(r.right, t.right) - Math.max(r.left, t.left);
      const h = Math.min(r.bottom, t.bottom) - Math.max(r.top, t.top);
      if (w > 0 && h > 0) sum += w * h;
    }
    return sum;
  }
  function declutter() {
    const taken = [...canvas.querySelectorAll(".place-dot, .cluster-dot")].map(d => d.getBoundingClientRect());
    const box = canvas.getBoundingClientRect(), far = 1e5;  // the map's edges: a name should not run past them
    taken.push({left: -far, right: box.left, top: -far, bottom: far}, {left: box.right, right: far, top: -far, bottom: far},
               {left: -far, right: far, top: -far, bottom: box.top}, {left: -far, right: far, top: box.bottom, bottom: far});
    const count = e => Number(e.closest("[data-count]").dataset.count) || 0;
    const names = [...canvas.querySelectorAll(".place-icon .place-name, .cluster-icon .place-name")]
      .sort((a, b) => count(b) - count(a));
    const areas = [...canvas.querySelectorAll(".area-label")].sort((a, b) => count(b) - count(a));
    for (const label of [...names, ...areas]) {
      let best = null;
      label.style.translate = "0 0";
      const own = label.getBoundingClientRect(), dot = label.previousElementSibling;
      // a marker's name may also go on the left of its circle
      const left = dot ? [[-(own.width + dot.getBoundingClientRect().width + 6), 0]] : [];
      for (const [dx, dy] of [...NUDGES.slice(0, 3), ...left, ...NUDGES.slice(3)]) {
        label.style.translate = dx + "px " + dy + "px";
        const r = label.getBoundingClientRect();
        const o = overlap(r, taken);
        if (!best || o < best.o) best = {o, dx, dy, r};
        if (o === 0) break;
      }
      label.style.translate = best.dx + "px " + best.dy + "px";
      taken.push(best.r);
    }
    for (const label of canvas.querySelectorAll(".geo-label")) {
      label.classList.remove("crowded");
      const r = label.firstChild.getBoundingClientRect();
      if (overlap(r, taken) > 0) label.classList.add("crowded"); else taken.push(r);
    }
  }

  function draw(geo, data) {
    const styles = data.styles || {};
    const byId = {};
    data.places.forEach(p => { byId[p.place_id] = p; });
    const colour = p => (styles[p.dominant_type] && styles[p.dominant_type].colour) || "#888888";
    const feats = kind => geo.features.filter(f => f.properties.kind === kind);
    const marked = feats("province").filter(f => byId[f.properties.place_id]);
    const points = data.places.filter(p => p.shown_as === "point");

    const [w, s, e, n] = geo.view;
    const view = L.latLngBounds([s, w], [n, e]);
    const map = L.map(canvas, {zoomSnap: 0.25, maxBounds: view.pad(0.08), maxBoundsViscosity: 1,
                               maxZoom: 11, attributionControl: true});
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Natural Earth 1:10m");
    // Zooming out stops at the whole frame; whole levels only, as markercluster builds its
    // clusters for each whole zoom level from the map's minimum up. It opens on what is marked.
    map.setMinZoom(Math.floor(map.getBoundsZoom(view)));
    const spots = [...points.map(p => [p.lat, p.lon]),
                   ...[...marked, ...feats("river")].filter(f => byId[f.properties.place_id])
                     .map(f => [f.properties.label_at[1], f.properties.label_at[0]])];
    map.fitBounds(spots.length > 1 ? L.latLngBounds(spots).pad(0.15) : view);
    map.createPane("geoLabels").style.zIndex = 450;
    map.createPane("areaLabels").style.zIndex = 590;

    L.geoJSON(feats("country"), {interactive: false, style: f => ({
      fillColor: f.properties.country === "KP" ? GEO.landKP : GEO.land, fillOpacity: 1,
      color: GEO.coast, weight: 0.8})}).addTo(map);
    const maxArea = Math.max(1, ...marked.map(f => byId[f.properties.place_id].incidents));
    L.geoJSON(feats("province"), {
      style: f => {
        const p = byId[f.properties.place_id];
        return p ? {color: colour(p), weight: 1.2, fillColor: colour(p),
                    fillOpacity: 0.12 + 0.33 * p.incidents / maxArea, className: "province marked"}
                 : {color: GEO.province, weight: 0.7, dashArray: "3 3", fill: false,
                    interactive: false, className: "province"};
      },
      onEachFeature: (f, layer) => {
        const p = byId[f.properties.place_id];
        if (p) layer.bindPopup(() => popupFor(p, styles));
      },
    }).addTo(map);
    L.geoJSON(feats("border"), {interactive: false, style: () => ({
      color: GEO.border, weight: 1.4, dashArray: "6 4", className: "border"})}).addTo(map);
    feats("river").forEach(f => {
      const p = byId[f.properties.place_id];
      const line = f.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
      if (p) {
        L.polyline(line, {color: colour(p), weight: 9, opacity: 0.45, className: "river-halo"})
          .bindPopup(() => popupFor(p, styles)).addTo(map);
      }
      L.polyline(line, {color: GEO.river, weight: 2.4, interactive: false, className: "river"}).addTo(map);
      const [lon, lat] = f.properties.label_at;
      (p ? areaLabel(p, styles, [lat, lon])
         : geoLabel({properties: {kind: "label-river", name: f.properties.name},
                     geometry: {coordinates: [lon, lat]}})).addTo(map);
    });
    feats("label-country").concat(feats("label-sea")).forEach(f => geoLabel(f).addTo(map));
    marked.forEach(f => {
      const [lon, lat] = f.properties.label_at;
      areaLabel(byId[f.properties.place_id], styles, [lat, lon]).addTo(map);
    });

    const max = Math.max(1, ...points.map(p => p.incidents));
    const clusters = L.markerClusterGroup({
      maxClusterRadius: canvas.clientWidth < 500 ? 60 : 40, showCoverageOnHover: false,
      spiderfyOnMaxZoom: true, iconCreateFunction: c => clusterIcon(c, max),
    });
    clusters.addLayers(points.sort((a, b) => b.incidents - a.incidents).map(p => pointMarker(p, styles, max)));
    map.addLayer(clusters);
    const settle = () => { declutter(); canvas.dataset.zoom = map.getZoom(); };
    map.on("zoomend moveend", settle);
    clusters.on("animationend spiderfied unspiderfied", settle);
    settle();
    canvas.classList.add("map-ready");
  }

  Promise.all([getJSON(canvas.dataset.geo), getJSON(canvas.dataset.places)])
    .then(([geo, data]) => draw(geo, data))
    .catch(err => {
      canvas.classList.add("map-failed");
      canvas.textContent = "The map could not be drawn (" + err.message + "); the table below lists every place.";
    });
})();
