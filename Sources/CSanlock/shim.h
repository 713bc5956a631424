#include <stddef.h>
#include <stdint.h>
#include <sanlock.h>
#include <sanlock_rv.h>
#include <sanlock_resource.h>
#include <sanlock_admin.h>
