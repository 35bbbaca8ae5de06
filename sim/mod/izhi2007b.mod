COMMENT
Izhi2007b: Izhikevich's 2007 cortical and thalamic cell models driving the membrane potential v of
the section they sit in. Written for NetLoom (MIT licence) from the equations published in

  E. M. Izhikevich (2007) Dynamical Systems in Neuroscience, MIT Press, chapter 8.

    C dv/dt = k (v - vr)(v - vt) - u + I        (pF, mV, ms, pA)
      du/dt = a (b (v - vr) - u)
    when v reaches vpeak:  v <- c,  u <- u + d

with the book's variations per cell class, selected by `celltype`:
  1 RS, 2 IB, 3 CH  the equations above;
  4 LTS  the peak is vpeak - 0.1 u; the reset is v <- c + 0.04 u, u <- min(u + d, 670);
  5 FS   du/dt = a (U(v) - u) with U(v) = 0 below vb and 0.025 (v - vb)^3 above; here vb is `d`
         (as NetPyNE's FS parameter sets write it); the reset only sets v <- c;
  6 TC   the peak is vpeak + 0.1 u; b is 0 above -65 mV (and the parameter b below); the reset is
         v <- c - 0.1 u, u <- u + d;
  7 RTN  b is 2 above -65 mV (and the parameter b below).

The section integrates v; this mechanism delivers the right-hand side as the current

    i = -0.001 (k (v - vr)(v - vt) - u + Iin) / C     (nA)

so C is relative to the section's own capacitance: NetPyNE models use a 10 x 10 um soma with
cm = 31.831 uF/cm2 (100 pF) and C = 1 for the book's RS cell; equally, a section of 1 pF with
C = 100 gives the book's numbers directly. Iin is a constant injected current (pA).

Names, defaults and initial state follow the models NetPyNE users write for a mechanism of this
name: C, k, vr, vt, vpeak, a, b, c, d, Iin, celltype, alive (0 silences the output events, the
dynamics go on), cellid (a free label); u starts at 0 and v at vr. V mirrors v so `vref: 'V'` can
also name it.
ENDCOMMENT

NEURON {
    POINT_PROCESS Izhi2007b
    NONSPECIFIC_CURRENT i
    RANGE C, k, vr, vt, vpeak, a, b, c, d, Iin, celltype, alive, cellid
    RANGE V, utarget
}

UNITS {
    (mV) = (millivolt)
    (nA) = (nanoamp)
}

PARAMETER {
    C = 1               : capacitance, relative to the section's (see above)
    k = 0.7             : gain of the quadratic (pA/mV2 at C = 100 pF)
    vr = -60 (mV)       : resting potential
    vt = -40 (mV)       : instantaneous threshold
    vpeak = 35 (mV)     : spike cut-off
    a = 0.03 (/ms)      : time scale of the recovery current
    b = -2              : sensitivity of the recovery current to v (nS)
    c = -50 (mV)        : v after a spike
    d = 100             : jump of u after a spike (pA); vb (mV) for FS cells
    Iin = 0             : injected current (pA)
    celltype = 1
    alive = 1
    cellid = -1
}

ASSIGNED {
    v (mV)
    i (nA)
    V (mV)
    utarget             : the value u relaxes to at the present v
}

STATE {
    u
}

INITIAL {
    u = 0
    V = v
    net_send(0, 1)      : arms the spike detector at t = 0 and sets v to vr
}

BREAKPOINT {
    SOLVE recovery METHOD derivimplicit
    V = v
    i = -0.001*(k*(v - vr)*(v - vt) - u + Iin)/C
}

DERIVATIVE recovery {
    nullcline(v)
    u' = a*(utarget - u)
}

PROCEDURE nullcline(vm (mV)) {
    LOCAL slope
    if (celltype == 5) {
        if (vm < d) {
            utarget = 0
        } else {
            utarget = 0.025*(vm - d)*(vm - d)*(vm - d)
        }
    } else {
        slope = b
        if (celltype == 6 && vm > -65) {
            slope = 0
        } else if (celltype == 7 && vm > -65) {
            slope = 2
        }
        utarget = slope*(vm - vr)
    }
}

NET_RECEIVE (w) {
    if (flag == 1) {
        if (celltype == 4) {
            WATCH (v > vpeak - 0.1*u) 2
        } else if (celltype == 6) {
            WATCH (v > vpeak + 0.1*u) 2
        } else {
            WATCH (v > vpeak) 2
        }
        v = vr
    } else if (flag == 2) {
        if (alive) {
            net_event(t)
        }
        if (celltype == 4) {
            v = c + 0.04*u
            u = u + d
            if (u > 670) {
                u = 670
            }
        } else if (celltype == 5) {
            v = c
        } else if (celltype == 6) {
            v = c - 0.1*u
            u = u + d
        } else {
            v = c
            u = u + d
        }
    }
}
