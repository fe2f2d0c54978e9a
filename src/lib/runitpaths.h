/* runitpaths.h: where runit and runit-init find the stage and shutdown-request files (build-time settable). */
#ifndef RNG_RUNITPATHS_H
#define RNG_RUNITPATHS_H

/* 2.3.0's defaults; Debian builds use -DRUNIT_STOPIT='"/run/runit.stopit"'
 * -DRUNIT_REBOOT='"/run/runit.reboot"'. */
#ifndef RUNIT_DIR
#define RUNIT_DIR "/etc/runit"
#endif
#ifndef RUNIT_STOPIT
#define RUNIT_STOPIT RUNIT_DIR "/stopit"
#endif
#ifndef RUNIT_REBOOT
#define RUNIT_REBOOT RUNIT_DIR "/reboot"
#endif
#ifndef RUNIT_CTRLALTDEL
#define RUNIT_CTRLALTDEL RUNIT_DIR "/ctrlaltdel"
#endif
#ifndef RUNIT_NOSYNC
#define RUNIT_NOSYNC RUNIT_DIR "/nosync"
#endif
/* Their existence forces runit into, or out of, container mode (see runit.8). */
#ifndef RUNIT_CONTAINER
#define RUNIT_CONTAINER RUNIT_DIR "/container"
#endif
#ifndef RUNIT_NOCONTAINER
#define RUNIT_NOCONTAINER RUNIT_DIR "/nocontainer"
#endif
#ifndef RUNIT_BINARY
#define RUNIT_BINARY "/sbin/runit"
#endif

#endif
