COMMENT
Izhi2007a: Izhikevich's 2007 cortical and thalamic cell models as a self-contained point neuron
with its own membrane potential V (the section that hosts it is only a place holder and is not
touched), four receptor conductances plus an opsin one that NetCons aimed at it open, and output
events. Written for NetLoom (MIT licence) from the equations published in

  E. M. Izhikevich (2007) Dynamical Systems in Neuroscience, MIT Press, chapter 8:
    C dV/dt = k (V - vr)(V - vt) - u - I + Iin
      du/dt = a (b (V - vr) - u)
    when V reaches vpeak:  V <- c,  u <- u + d
  E. M. Izhikevich, G. M. Edelman (2008) Large-scale model of mammalian thalamocortical systems.
  PNAS 105(9):3593-3598, for the synaptic current:
    I = gAMPA (V - 0) + gNMDA s(V) (V - 0) + gGABAA (V + 70) + gGABAB (V + 90)
    s(V) = x / (1 + x),  x = ((V + 80) / 60)^2
  each conductance decaying as dg/dt = -g / tau; gOpsin is a fifth one that behaves like AMPA.

An incoming event adds its weights (wAMPA, wNMDA, wGABAA, wGABAB, wOpsin: the order of NetPyNE's
`synList`) to the conductances. A spike sets all five conductances back to 0, as the models
NetPyNE users run expect. The cell classes selected by `celltype` are those of Izhi2007b:
  1 RS, 2 IB, 3 CH  the equations above;
  4 LTS  the peak is vpeak - 0.1 u; the reset is V <- c + 0.04 u, u <- min(u + d, 670);
  5 FS   du/dt = a (U(V) - u), U(V) = 0 below vb and 0.025 (V - vb)^3 above, vb being `d`;
         the reset only sets V <- c;
  6 TC   the peak is vpeak + 0.1 u; b is 0 above -65 mV (the parameter b below); the reset is
         V <- c - 0.1 u, u <- u + d;
  7 RTN  b is 2 above -65 mV (the parameter b below).
The equations are stepped with forward Euler, once per time step.

Names, defaults and initial state follow the models NetPyNE users write for a mechanism of this
name (they use vref 'V'): C, k, vr, vt, vpeak, a, b, c, d, Iin, tauAMPA, tauNMDA, tauGABAA,
tauGABAB, tauOpsin, celltype, alive (0 silences the output events), cellid (a free label),
verbose (accepted and ignored); V starts at vr, u and the conductances at 0; I is the synaptic
current.
ENDCOMMENT

NEURON {
    POINT_PROCESS Izhi2007a
    RANGE C, k, vr, vt, vpeak, a, b, c, d, Iin, celltype, alive, cellid, verbose
    RANGE tauAMPA, tauNMDA, tauGABAA, tauGABAB, tauOpsin
    RANGE I, utarget
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    C = 1               : capacitance
    k = 0.7             : gain of the quadratic
    vr = -60 (mV)       : resting potential
    vt = -40 (mV)       : instantaneous threshold
    vpeak = 35 (mV)     : spike cut-off
    a = 0.03 (/ms)
    b = -2
    c = -50 (mV)
    d = 100             : jump of u after a spike; vb (mV) for FS cells
    Iin = 0             : injected current
    tauAMPA = 5 (ms)
    tauNMDA = 150 (ms)
    tauGABAA = 6 (ms)
    tauGABAB = 150 (ms)
    tauOpsin = 50 (ms)
    celltype = 1
    alive = 1
    cellid = -1
    verbose = 0
}

ASSIGNED {
    I                   : synaptic current
    utarget
}

STATE {
    V (mV)
    u
    gAMPA
    gNMDA
    gGABAA
    gGABAB
    gOpsin
}

INITIAL {
    V = vr
    u = 0
    gAMPA = 0
    gNMDA = 0
    gGABAA = 0
    gGABAB = 0
    gOpsin = 0
    I = 0
    net_send(0, 1)      : arms the spike detector at t = 0
}

BREAKPOINT {
    SOLVE dynamics METHOD euler
}

DERIVATIVE dynamics {
    LOCAL x
    x = (V + 80)/60
    x = x*x
    I = gAMPA*V + gNMDA*x/(1 + x)*V + gGABAA*(V + 70) + gGABAB*(V + 90) + gOpsin*V
    nullcline(V)
    V' = (k*(V - vr)*(V - vt) - u - I + Iin)/C
    u' = a*(utarget - u)
    gAMPA' = -gAMPA/tauAMPA
    gNMDA' = -gNMDA/tauNMDA
    gGABAA' = -gGABAA/tauGABAA
    gGABAB' = -gGABAB/tauGABAB
    gOpsin' = -gOpsin/tauOpsin
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

NET_RECEIVE (wAMPA, wNMDA, wGABAA, wGABAB, wOpsin) {
    if (flag == 1) {
        if (celltype == 4) {
            WATCH (V > vpeak - 0.1*u) 2
        } else if (celltype == 6) {
            WATCH (V > vpeak + 0.1*u) 2
        } else {
            WATCH (V > vpeak) 2
        }
    } else if (flag == 2) {
        if (alive) {
            net_event(t)
        }
        if (celltype == 4) {
            V = c + 0.04*u
            u = u + d
            if (u > 670) {
                u = 670
            }
        } else if (celltype == 5) {
            V = c
        } else if (celltype == 6) {
            V = c - 0.1*u
            u = u + d
        } else {
            V = c
            u = u + d
        }
        gAMPA = 0
        gNMDA = 0
        gGABAA = 0
        gGABAB = 0
        gOpsin = 0
    } else {
        gAMPA = gAMPA + wAMPA
        gNMDA = gNMDA + wNMDA
        gGABAA = gGABAA + wGABAA
        gGABAB = gGABAB + wGABAB
        gOpsin = gOpsin + wOpsin
    }
}
