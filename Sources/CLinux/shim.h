#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

/// prctl(PR_SET_PDEATHSIG, sig): prctl is variadic, which Swift cannot call directly.
static inline int clinux_set_parent_death_signal(int sig) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0UL, 0UL, 0UL);
}
