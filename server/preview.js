// Live preview (served only by `site preview`): reload this page when the
// site has been rebuilt, or has failed to build, since it was served.
(function () {
  "use strict";
  var me = document.currentScript && document.currentScript.dataset.build;
  var events = new EventSource("/_preview/events");
  events.onmessage = function (e) {
    if (e.data !== me) {
      events.close();
      location.reload();
    }
  };
})();
