#ifndef PATROL_CZEROMQ_SHIM_H
#define PATROL_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
