// Placeholder until the demo lands (issue 14): says what `./bm demo` will do.
console.log(`./bm demo will start the broker emulator with about 25 simulated clinics, run the real
collector over 60 simulated days, then the reporter (local HTML report), the e-mail service
(--outbox) and the backup into the Confluence emulator, all under demo-output/.`);
