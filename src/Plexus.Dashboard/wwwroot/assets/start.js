'use strict';
// Runs after every page script has registered: shows the page the address names.
Dashboard.start();
