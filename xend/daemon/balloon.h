/*
 * balloon.h: balloon requests with a deadline, and autoballoon
 * (balloon.c).  Loop side only.
 */
#ifndef XEND_BALLOON_H
#define XEND_BALLOON_H

#include <stdint.h>

#include "xend.h"

/* What to do when a domain misses its balloon deadline. */
enum balloon_miss { MISS_LOG, MISS_PAUSE, MISS_SAVE, MISS_DESTROY };

int	 balloon_miss_parse(const char *, enum balloon_miss *);
/*
 * Watch d reach target_kib within deadline_ms (the request's row was just
 * written by db_balloon_add); answers request id of peer (parked) when it
 * does or when the deadline passes and the policy has been carried out.
 */
int	 balloon_track(struct domain *, uint64_t from_kib,
	     uint64_t target_kib, uint64_t deadline_ms, enum balloon_miss,
	     struct peer *, int64_t id, int progress);
int	 balloon_pending(const struct domain *);
void	 balloon_forget_peer(struct peer *);
void	 balloon_free_all(void);
/* Autoballoon: room for a new domain, and giving it back. */
int	 balloon_make_room(const char *name, uint64_t need_kib,
	     struct xerr *);
void	 balloon_give_back(void);

#endif
