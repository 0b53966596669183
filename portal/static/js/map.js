/* Maps, as progressive enhancement of a list (portal/templates/_map.html): the search results of every page of the
   search, or a listing's locations, on a Leaflet map whose markers supercluster groups. Without this script or the
   vendored libraries the slot stays empty and the page is its list.

   Keyboard: the map, every marker and every group are in the tab order. Enter (or Space) on a marker opens its
   popup and moves the focus to its link; Escape closes it and the focus returns to the marker. On a group it
   zooms in and focuses the nearest marker of the group, or, for a group that no zoom splits (offers at one
   address), opens the list of its offers. The base map is the configured tile service or, offline, the outline of
   the provinces and the (approximate) municipalities. */
(function () {
  "use strict";
  if (!window.L || !window.Supercluster) return;

  const FLANDERS = [[50.68, 2.54], [51.51, 5.92]];
  const OFFLINE_MAX_ZOOM = 13; // the outline is simplified to about 100 m: closer, it shows nothing more
  const TILES_MAX_ZOOM = 18;
  const GROUP_LIST_MAX = 50;
  const LABEL_MUNICIPALITIES_ZOOM = 10;
  const STYLES = {
    municipality: { color: "#8a9aa5", weight: 0.6, fillColor: "#fbfaf6", fillOpacity: 1 },
    province: { color: "#3d4f5c", weight: 1.6, fill: false },
  };
  const wide = window.matchMedia("(min-width: 50rem)");
  const calm = window.matchMedia("(prefers-reduced-motion: reduce)");
  let keyboard = false; // how the last marker was activated: the focus follows only keyboard use
  document.addEventListener("keydown", () => { keyboard = true; }, true);
  document.addEventListener("pointerdown", () => { keyboard = false; }, true);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, name) => values[name]);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function baseLayer(map, texts) {
    if (texts.tileUrl) {
      L.tileLayer(texts.tileUrl, { attribution: texts.tileAttribution, maxZoom: TILES_MAX_ZOOM }).addTo(map);
      return;
    }
    map.attributionControl.addAttribution(texts.outlineAttribution);
    fetch(texts.outline)
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((outline) => {
        L.geoJSON(outline, { pane: "outline", interactive: false, style: (feature) => STYLES[feature.properties.kind] })
          .addTo(map);
        map.whenReady(() => names(map, outline.features));
      })
      .catch(() => {}); // without the outline the markers still stand on the map's plain background
  }

  // The outline's names, for orientation only (hidden from assistive technology, which has the list): the
  // provinces' when a whole province fits the map, the municipalities' closer by.
  function names(map, features) {
    const layer = L.layerGroup().addTo(map);
    function update() {
      layer.clearLayers();
      const kind = map.getZoom() < LABEL_MUNICIPALITIES_ZOOM ? "province" : "municipality";
      const bounds = map.getBounds();
      for (const feature of features) {
        const [lon, lat] = feature.properties.label;
        if (feature.properties.kind !== kind || !bounds.contains([lat, lon])) continue;
        const text = element("span", "", feature.properties.name);
        text.setAttribute("aria-hidden", "true");
        const icon = L.divIcon({ html: text, className: "map-name map-name-" + kind, iconSize: null });
        L.marker([lat, lon], { icon: icon, pane: "names", interactive: false, keyboard: false }).addTo(layer);
      }
    }
    map.on("moveend", update);
    update();
  }

  function popupContent(properties) {
    const box = element("div", "map-popup");
    const title = element("p", "map-popup-title");
    if (properties.url) {
      const link = element("a", "", properties.title);
      link.href = properties.url;
      title.append(link);
    } else {
      title.textContent = properties.title;
    }
    box.append(title);
    const details = [properties.kind, properties.place].filter(Boolean).join(" · ");
    if (details) box.append(element("p", "map-popup-meta", details));
    return box;
  }

  function groupContent(leaves, count, texts) {
    const box = element("div", "map-popup");
    box.append(element("p", "map-popup-title", fill(texts.groupList, { n: count })));
    const list = element("ul", "map-popup-list");
    for (const leaf of leaves) {
      const item = element("li");
      const link = element("a", "", leaf.properties.title);
      link.href = leaf.properties.url;
      item.append(link);
      list.append(item);
    }
    box.append(list);
    if (count > leaves.length) box.append(element("p", "map-popup-meta", fill(texts.more, { n: count - leaves.length })));
    return box;
  }

  // Enter or Space on a marker, as on any button (Leaflet's own keypress does not reach every marker in Chromium)
  function activates(event) {
    const key = event.originalEvent.key;
    if (key !== "Enter" && key !== " ") return false;
    event.originalEvent.preventDefault();
    return true;
  }

  // A popup the keyboard closed gives the focus back to its marker.
  function returnsFocus(marker) {
    marker.on("popupclose", () => {
      const element = marker.getElement();
      if (keyboard && element && !element.contains(document.activeElement)) element.focus();
    });
  }

  function icon(count) {
    const label = element("span", count ? "map-group-count" : "", count ? String(count) : "");
    const size = count ? (count < 10 ? 34 : count < 100 ? 40 : 46) : 22;
    return L.divIcon({ html: label, className: count ? "map-group" : "map-pin", iconSize: [size, size] });
  }

  // Focus the popup's first link when the keyboard opened it, and give its close button a Dutch name.
  function onPopupOpen(event, texts) {
    const popup = event.popup.getElement();
    const close = popup.querySelector(".leaflet-popup-close-button");
    if (close) close.setAttribute("aria-label", texts.close);
    const link = popup.querySelector("a[href]:not(.leaflet-popup-close-button)");
    if (keyboard && link) link.focus();
  }

  function draw(slot, map, collection) {
    const texts = slot.dataset;
    const features = collection.features;
    features.forEach((feature, number) => { feature.id = number; }); // kept on the points supercluster returns
    const maxZoom = map.getMaxZoom();
    const index = new Supercluster({ radius: 48, maxZoom: maxZoom }).load(features);
    const layer = L.layerGroup().addTo(map);
    const shown = new Map(); // key -> marker: a marker that stays in view is kept, and so is its focus
    let focusNear = null; // after a group was opened by keyboard: focus the marker nearest to this point

    function groupMarker(group) {
      const count = group.properties.point_count;
      const [lon, lat] = group.geometry.coordinates;
      const marker = L.marker([lat, lon], { icon: icon(count), keyboard: true, title: "" });
      const zoom = index.getClusterExpansionZoom(group.properties.cluster_id);
      const open = () => {
        if (zoom > maxZoom) {
          const leaves = index.getLeaves(group.properties.cluster_id, GROUP_LIST_MAX);
          marker.bindPopup(groupContent(leaves, count, texts)).openPopup();
          return;
        }
        if (keyboard) focusNear = L.latLng(lat, lon);
        if (calm.matches) map.setView([lat, lon], zoom, { animate: false });
        else map.flyTo([lat, lon], zoom, { duration: 0.4 });
      };
      marker.on("click", open);
      marker.on("keydown", (event) => {
        if (activates(event)) open();
      });
      const label = zoom > maxZoom ? texts.groupHere : texts.group;
      marker.on("add", () => marker.getElement().setAttribute("aria-label", fill(label, { n: count })));
      returnsFocus(marker);
      return marker;
    }

    function pointMarker(point) {
      const [lon, lat] = point.geometry.coordinates;
      const marker = L.marker([lat, lon], { icon: icon(0), keyboard: true, title: "" });
      marker.bindPopup(() => popupContent(point.properties));
      marker.on("keydown", (event) => {
        if (activates(event)) marker.openPopup();
      });
      marker.on("add", () => marker.getElement().setAttribute("aria-label", fill(texts.marker, point.properties)));
      returnsFocus(marker);
      return marker;
    }

    function update() {
      const bounds = map.getBounds().pad(0.25); // a marker at the edge stays while a popup pans the map a little
      const groups = index.getClusters(
        [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], Math.round(map.getZoom()));
      const wanted = new Map();
      for (const item of groups) {
        const key = item.properties.cluster ? "g" + item.properties.cluster_id : "p" + item.id;
        wanted.set(key, item);
      }
      for (const [key, marker] of shown) {
        if (!wanted.has(key) && !marker.isPopupOpen()) {
          layer.removeLayer(marker);
          shown.delete(key);
        }
      }
      for (const [key, item] of wanted) {
        if (!shown.has(key)) {
          const marker = item.properties.cluster ? groupMarker(item) : pointMarker(item);
          shown.set(key, marker);
          layer.addLayer(marker);
        }
      }
      if (focusNear) {
        let nearest = null;
        for (const marker of shown.values()) {
          if (!nearest || marker.getLatLng().distanceTo(focusNear) < nearest.getLatLng().distanceTo(focusNear)) {
            nearest = marker;
          }
        }
        focusNear = null;
        if (nearest) nearest.getElement().focus({ preventScroll: true });
      }
    }

    map.on("moveend", update);
    map.on("popupopen", (event) => onPopupOpen(event, texts));
    const bounds = L.latLngBounds(features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    const where = collection.where;
    if (where) { // the place searched around and its radius
      const centre = L.latLng(where.latitude, where.longitude);
      L.circle(centre, {
        radius: where.km * 1000, interactive: false, color: "#0b5a7a", weight: 1.5, dashArray: "6 4", fillOpacity: 0.04,
      }).addTo(map);
      bounds.extend(centre.toBounds(where.km * 2000));
    }
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: maxZoom - 3 });
    else map.fitBounds(FLANDERS);
    update();
  }

  function createMap(slot, area) {
    const texts = slot.dataset;
    const container = element("div", "map");
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", texts.label);
    area.prepend(container);
    const map = L.map(container, {
      maxZoom: texts.tileUrl ? TILES_MAX_ZOOM : OFFLINE_MAX_ZOOM,
      minZoom: 6,
      maxBounds: L.latLngBounds(FLANDERS).pad(0.5),
      zoomControl: false,
      zoomSnap: 0.5,
    });
    L.control.zoom({ zoomInTitle: texts.zoomIn, zoomOutTitle: texts.zoomOut }).addTo(map);
    // Leaflet closes a popup on Escape only while the map itself has the focus; here the popup's link has it
    container.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && event.target.closest(".leaflet-popup")) map.closePopup();
    });
    // the outline under the search's circle (overlays: 400), its names between that and the markers (600)
    map.createPane("outline").style.zIndex = 350;
    map.createPane("names").style.zIndex = 450;
    baseLayer(map, texts);
    return map;
  }

  function load(slot, area, caption) {
    const texts = slot.dataset;
    const map = createMap(slot, area);
    if (texts.features) {
      draw(slot, map, JSON.parse(texts.features));
      return map;
    }
    caption.textContent = texts.loading;
    fetch(texts.points, { headers: { Accept: "application/geo+json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((collection) => {
        caption.textContent = collection.caption || "";
        draw(slot, map, collection);
      })
      .catch((error) => {
        caption.textContent = texts.failed;
        console.error(error);
      });
    return map;
  }

  function enhance(slot, number) {
    const texts = slot.dataset;
    const area = element("div", "map-area");
    area.id = "map-" + number;
    const caption = element("p", "map-caption");
    area.append(caption);
    let map = null;
    if (!texts.show) {
      slot.append(area);
      map = load(slot, area, caption);
      return;
    }
    const toggle = element("button", "map-toggle secondary");
    toggle.type = "button";
    toggle.setAttribute("aria-controls", area.id);
    slot.append(toggle, area);
    function show(open) {
      area.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      toggle.textContent = open ? texts.hide : texts.show;
      if (!open) return;
      if (map) map.invalidateSize();
      else map = load(slot, area, caption);
    }
    toggle.addEventListener("click", () => show(area.hidden));
    show(wide.matches); // on a phone the results come first, the map on request
  }

  document.querySelectorAll(".map-slot").forEach(enhance);
})();
