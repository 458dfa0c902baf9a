#ifndef PATROL_CZEROMQ_SHIM_H
#define PATROL_CZEROMQ_SHIM_H
#include <zmq.h>
#ifdef __linux__
/* The wake-up descriptor a socket loop polls beside its socket; not in Swift's Glibc module. */
#include <sys/eventfd.h>
#endif
#endif
